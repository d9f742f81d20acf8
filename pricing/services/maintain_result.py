"""A price run's result and the changes it plans (`pricing.services.maintain`).

Apart from the run so that what the run counts, and how its line reads, is
read in one place; reconciliation's own result is added in explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from catalog.models import Sku
from ozonprice.runs import RunResult
from pricing.models import PriceChange
from pricing.rules import Targets
from pricing.services.reconcile import ReconcileResult


@dataclass
class PlannedChange:
    sku: Sku
    targets: Targets
    approved: PriceChange | None = None
    # The change's own reason (the showcase hold's), else the run's.
    reason: str | None = None

    def as_row(self) -> dict:
        return {
            "product_id": str(self.sku.product_id),
            "offer_id": self.sku.offer_id,
            "price": self.sku.price,
            "old_price": self.sku.old_price,
            "showcase": self.sku.front_price,
            "target_price": self.targets.price,
            "target_old_price": self.targets.old_price,
            "shown_discount": self.targets.shown_discount(),
        }


@dataclass
class MaintainResult(RunResult[dict[str, str]]):
    run_name: ClassVar[str] = "maintain"
    skip_reason: ClassVar[str] = "another price run is in progress"

    dry_run: bool = False
    planned: int = 0
    sent: int = 0
    rejected: int = 0
    failed: int = 0
    held: int = 0
    unchanged: int = 0
    # Not sent: a change to the same target is already sent and not settled.
    in_flight: int = 0
    # Sent, but Ozon's answer never came and its prices do not show them yet.
    unknown: int = 0
    over_budget: int = 0
    refused_before: int = 0
    reconciled: int = 0
    import_calls: int = 0
    plan: list[dict] = field(default_factory=list)
    # Dry run only: the changes that would wait for approval (Ozon's quarantine), not sent.
    held_plan: list[dict] = field(default_factory=list)

    def reconcile_add(self, reconciled: ReconcileResult) -> None:
        """Count a batch this run sent and then had to read back."""
        self.reconciled += reconciled.reconciled
        self.sent += reconciled.sent
        self.unknown += reconciled.unknown

    def heading(self) -> str:
        return "maintain dry-run" if self.dry_run else "maintain"

    def details(self) -> str:
        return (
            f"planned {self.planned}, sent {self.sent}, "
            f"rejected {self.rejected}, failed {self.failed}, held for approval {self.held}, "
            f"unchanged {self.unchanged}, in flight {self.in_flight}, awaiting Ozon {self.unknown}, "
            f"over hourly budget {self.over_budget}, "
            f"refused by Ozon before {self.refused_before}, "
            f"reconciled {self.reconciled}, import calls {self.import_calls}, item errors {len(self.errors)}"
        )

"""What a manager's change would do, row by row, before anything is saved or sent.

Both previews compute targets with the same code as the real thing: the
edits' dry run (`sku_inputs_set(dry_run=True)`) and maintenance's dry run
(`prices_maintain(dry_run=True)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.models import Account
from pricing.rules import Targets, is_quarantine_change
from pricing.services.edits import sku_inputs_set, targets_check
from pricing.services.maintain import prices_maintain


class RowStatus:
    SEND = "send"
    UNCHANGED = "unchanged"
    HELD = "held"
    ERROR = "error"
    SKIPPED = "skipped"


# For templates: {"SEND": "send", …}.
ROW_STATUSES = {name: value for name, value in vars(RowStatus).items() if name.isupper()}


@dataclass
class PreviewRow:
    sku: Sku
    status: str
    note: str = ""
    mrpc: Decimal | None = None
    discount: Decimal | None = None
    targets: Targets | None = None

    @property
    def shown_discount(self) -> Decimal | None:
        return self.targets.shown_discount() if self.targets else None

    @property
    def ok(self) -> bool:
        return self.status != RowStatus.ERROR


@dataclass
class UpdatePreview:
    rows: list[PreviewRow]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    dry_run_setting: bool = False

    @property
    def sendable(self) -> int:
        return self.counts.get(RowStatus.SEND, 0)


def _classify(sku: Sku, targets: Targets) -> tuple[str, str]:
    """Where a valid target of `sku` goes next: nowhere, to Ozon, or to the quarantine queue."""
    if targets.held_by(price=sku.price, old_price=sku.old_price, min_price=sku.min_price):
        return RowStatus.UNCHANGED, _("Ozon holds these prices already")
    if is_quarantine_change(sku.price, targets.price):
        return RowStatus.HELD, _("A change of half the price or more: Ozon would quarantine it; it waits for approval")
    if not sku.active:
        # Nothing goes to Ozon while maintenance is off: not counted as "to send".
        return RowStatus.SKIPPED, _("Saved; sent once price maintenance is on")
    return RowStatus.SEND, _("Sent to Ozon by the next price run")


def sku_inputs_preview(*, skus: list[Sku], values: dict[int, dict[str, Any]]) -> list[PreviewRow]:
    """Preview MRPC/discount inputs `values` (by `Sku.pk`: `{mrpc?, discount?}`) for `skus`, saving nothing.

    A SKU without inputs is left out.
    """
    by_ref = {str(sku.pk): sku for sku in skus if values.get(sku.pk)}
    items = [{"sku": ref, **values[sku.pk]} for ref, sku in by_ref.items()]
    result = sku_inputs_set(items=items, dry_run=True, rows=by_ref)
    rows = {}
    for entry in result.updated:
        sku = by_ref[entry["sku"]]
        mrpc, discount = entry["pair"]
        targets = entry["targets"]
        if targets is None:
            status, note = RowStatus.SKIPPED, _("No MRPC: nothing will be sent")
        else:
            status, note = _classify(sku, targets)
        rows[sku.pk] = PreviewRow(sku, status, note, mrpc=mrpc, discount=discount, targets=targets)
    for error in result.errors:
        sku = by_ref[error["sku"]]
        rows[sku.pk] = PreviewRow(sku, RowStatus.ERROR, error["error"])
    return [rows[sku.pk] for sku in skus if sku.pk in rows]


def _ineligible(sku: Sku) -> str:
    """Why price maintenance leaves `sku` alone, or "" (the same conditions as maintenance's candidates)."""
    if not sku.active:
        return _("Price maintenance is off")
    if not sku.available:
        return _("Not in stock")
    if sku.mrpc is None:
        return _("No MRPC")
    if sku.archived:
        return _("Archived on Ozon")
    if sku.missing_since is not None:
        return _("Missing from Ozon")
    return ""


def prices_update_preview(
    *, product_ids: Iterable[int], account: Account | None = None, show: int = 300
) -> UpdatePreview:
    """Maintenance's dry run over the selection of `account`'s products (None: the only account):
    counts for all, rows for the first `show` SKUs."""
    account = account if account is not None else account_resolve()
    ids = sorted({int(pid) for pid in product_ids})
    result = prices_maintain(account=account, product_ids=ids, dry_run=True)
    planned = {row["product_id"]: row for row in result.plan}
    errors = {row["product_id"]: row["error"] for row in result.errors}
    counts = {
        RowStatus.SEND: len(result.plan),
        RowStatus.ERROR: len(errors),
        RowStatus.UNCHANGED: result.unchanged,
        RowStatus.HELD: result.held,
    }
    counts[RowStatus.SKIPPED] = len(ids) - sum(counts.values())
    rows = []
    for sku in Sku.objects.filter(account=account, product_id__in=ids[:show]).order_by("id"):
        key = str(sku.product_id)
        targets = None
        if key in planned:
            plan = planned[key]
            targets = Targets(
                price=plan["target_price"], old_price=plan["target_old_price"], min_price=plan["target_price"]
            )
            status, note = RowStatus.SEND, _("Will be sent to Ozon")
        elif key in errors:
            status, note = RowStatus.ERROR, errors[key]
        elif reason := _ineligible(sku):
            status, note = RowStatus.SKIPPED, reason
        else:
            targets = targets_check(sku.mrpc, sku.discount)
            # Eligible means MRPC is set; a pair Ozon would refuse is in maintenance's errors above.
            assert targets is not None, "an eligible SKU has MRPC"
            status, note = _classify(sku, targets)
            if status == RowStatus.SEND:
                # Planned by the rules, yet left out by maintenance: its hourly budget or a recent refusal.
                status, note = RowStatus.SKIPPED, _("Over Ozon's 10 changes an hour, or refused by Ozon recently")
        rows.append(PreviewRow(sku, status, note, mrpc=sku.mrpc, discount=sku.discount, targets=targets))
    return UpdatePreview(rows=rows, total=len(ids), counts=counts, dry_run_setting=account.dry_run)

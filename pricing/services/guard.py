"""What the storefront guard's parts share: its run result, its lease, and the SKUs it watches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.db.models import Q

from catalog.models import Sku
from ozonprice.accounts import account_run_name
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient
from ozonprice.leases import Lease, task_lease
from ozonprice.models import Account
from ozonprice.runs import RunResult

# One guard run at a time per account (scheduled, command, admin job, API): two runs
# would remove the same products twice and write the same reports twice. Each
# account has its own lease (`guard_promotions:<id>`): accounts never wait for each other.
LEASE = "guard_promotions"


@dataclass
class GuardResult(RunResult[dict[str, str | None]]):
    """One guard run: what it found and did, and the Ozon calls it made per endpoint."""

    run_name: ClassVar[str] = "guard"
    skip_reason: ClassVar[str] = "another guard run is in progress"

    mode: str = ""
    requests_mode: str = ""
    dry_run: bool = False
    # (SKU, promotion) pairs whose action price is under the SKU's MRPC.
    breaches: int = 0
    reported: int = 0
    removed: int = 0
    refused: int = 0
    # Removals Ozon did not answer (or answered for only some products): the next run reads back.
    failed: int = 0
    timers_checked: int = 0
    timers_lapsed: int = 0
    timers_renewed: int = 0
    requests_seen: int = 0
    requests_below_mrpc: int = 0
    declined: int = 0
    decline_refused: int = 0
    calls: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        """Record a failure of one part; the other parts still run."""
        self.error = f"{self.error}; {message}" if self.error else message

    def heading(self) -> str:
        return f"guard {self.mode}{' dry-run' if self.dry_run else ''}"

    def details(self) -> str:
        text = (
            f"promotions under MRPC {self.breaches}, "
            f"reported {self.reported}, removed {self.removed}, refused by Ozon {self.refused}, "
            f"no answer {self.failed}; min-price timers checked {self.timers_checked}, lapsed {self.timers_lapsed}, "
            f"renewed {self.timers_renewed}; discount requests ({self.requests_mode}) seen {self.requests_seen}, "
            f"below MRPC {self.requests_below_mrpc}, declined {self.declined}, decline refused {self.decline_refused}"
        )
        if self.calls:
            text += "; calls " + ", ".join(f"{path} {count}" for path, count in sorted(self.calls.items()))
        return text


@dataclass(frozen=True)
class Watched:
    """A SKU the guard holds at MRPC."""

    id: int
    product_id: int
    sku: int | None
    mrpc: Decimal


def watched_skus(product_ids: Iterable[int] | None, *, account: Account) -> dict[int, Watched]:
    """The account's SKUs to guard, by product_id: under maintenance with MRPC, or the given ones with MRPC.

    Archived products and products gone from Ozon are not on the storefront.
    """
    rows = Sku.objects.filter(account=account, mrpc__isnull=False, archived=False, missing_since__isnull=True)
    rows = rows.filter(Q(active=True) if product_ids is None else Q(product_id__in=list(product_ids)))
    watched = {}
    for pk, product_id, sku, mrpc in rows.order_by("id").values_list("id", "product_id", "sku", "mrpc"):
        assert mrpc is not None, "filtered on mrpc__isnull=False"
        watched[product_id] = Watched(id=pk, product_id=product_id, sku=sku, mrpc=mrpc)
    return watched


def chunked[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def calls_since(before: dict[str, int], now: dict[str, int]) -> dict[str, int]:
    """Calls per endpoint made since `before` (a client passed in may have made calls already)."""
    return {path: count - before.get(path, 0) for path, count in now.items() if count > before.get(path, 0)}


def guard_run(
    result: GuardResult,
    client: OzonClient | None,
    work: Callable[[OzonClient, Lease], None],
    *,
    account: Account,
) -> GuardResult:
    """Do `work` under the account's guard lease with `client` (or the account's), counting its Ozon calls.

    Another run holding the lease: `result.skipped`. An Ozon error that `work`
    lets out (no credentials, a list that cannot be read) fails the result; it
    never raises.
    """
    with task_lease(account_run_name(LEASE, account)) as lease:
        if lease is None:
            result.skipped = True
            return result
        own_client = client is None
        before: dict[str, int] = {}
        try:
            client = client or OzonClient.of(account)
            before = dict(client.calls)
            work(client, lease)
        except ApiError as error:
            result.fail(str(error))
        finally:
            if client is not None:
                result.calls = calls_since(before, client.calls)
                if own_client:
                    client.close()
    return result

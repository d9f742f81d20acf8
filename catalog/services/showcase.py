"""The showcase price: what a buyer actually sees, from the configured source (SPEC §2.2).

- `front_api`: the seller's Front Price API, `price.card_price` matched by SKU;
- `ozon_details`: Ozon `/v1/product/prices/details` `customer_price` (Premium Pro only);
- `ozon_seller_price`: Ozon v5 `marketing_seller_price`, an upper bound of the
  showcase price (Ozon's own extra discount is not in it), marked as such.

Every observation is stored with its source and time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.db import rows_update
from ozonprice.models import Account, RuntimeSettings, ShowcaseSource
from ozonprice.runs import RunResult, run_summary_log, task_run

logger = logging.getLogger(__name__)


@dataclass
class FetchResult(RunResult[dict[str, str]]):
    run_name: ClassVar[str] = "showcase prices"

    source: str = ""
    fetched: int = 0
    updated: int = 0

    def headline(self) -> str:
        return f"{super().headline()} ({self.source})"

    def details(self) -> str:
        return f"fetched {self.fetched}, updated {self.updated}, item errors {len(self.errors)}"


class ShowcaseReader:
    """Reads showcase prices for SKUs from one source; one instance per run (it may cache a scan)."""

    def __init__(
        self,
        runtime: RuntimeSettings,
        *,
        ozon: OzonClient | None = None,
        front: FrontPriceClient | None = None,
        account: Account | None = None,
    ):
        self.source = runtime.showcase_source
        self.runtime = runtime
        self._ozon = ozon
        self._front = front
        self._account = account
        self._front_scan: dict[int, Decimal | None] | None = None
        self._owned: list = []  # clients this reader made, and so closes

    def ozon(self) -> OzonClient:
        if self._ozon is None:
            # The account's credentials; None until part F1: the settings'.
            self._ozon = OzonClient.of(self._account) if self._account is not None else OzonClient.from_settings()
            self._owned.append(self._ozon)
        return self._ozon

    def front(self) -> FrontPriceClient:
        if self._front is None:
            self._front = FrontPriceClient.for_seller(
                base_url=self.runtime.front_price_api_url, seller_id=self.runtime.front_price_seller_id
            )
            self._owned.append(self._front)
        return self._front

    def read(self, skus: list[Sku], *, v5_prices: dict | None = None) -> dict[int, Decimal | None]:
        """Showcase price per `Sku.id` for up to 1000 SKUs; None where the source has none.

        `v5_prices` (product_id → ProductPrice) already read by the caller saves
        the `ozon_seller_price` source a second read of the same prices.
        """
        if self.source == ShowcaseSource.FRONT_API:
            scan = self._scan_front()
            return {s.id: scan.get(s.sku) for s in skus if s.sku is not None}
        if self.source == ShowcaseSource.OZON_DETAILS:
            with_sku = [(s.id, s.sku) for s in skus if s.sku is not None]
            try:
                prices = self.ozon().prices_details(skus=[sku for _id, sku in with_sku]) if with_sku else {}
            except ApiError as error:
                if error.status == 403:
                    raise ApiError(
                        _(
                            "Ozon refused prices/details (403): the showcase source «Ozon prices/details» needs the "
                            "seller's Premium Pro subscription; choose another source in the runtime settings. "
                            "Ozon said: %(message)s"
                        )
                        % {"message": error.message},
                        service=error.service,
                        endpoint=error.endpoint,
                        permanent=True,
                        status=403,
                    ) from None
                raise
            return {pk: prices.get(sku) for pk, sku in with_sku}
        if v5_prices is None:
            v5_prices = {}
            for page in self.ozon().product_prices(product_ids=[s.product_id for s in skus]):
                v5_prices.update({p.product_id: p for p in page})
        return {
            s.id: (seen.marketing_seller_price or seen.price) if (seen := v5_prices.get(s.product_id)) else None
            for s in skus
        }

    @property
    def reads_in_worker(self) -> bool:
        """Whether `read` may run in a worker thread beside other calls (HTTP only, or no call at all).

        `ozon_details` is one call per chunk, `ozon_seller_price` given the v5
        prices none. `front_api` is a lookup in the storefront scan, made once
        (its pages read concurrently) and only when first needed: on the calling
        thread, so a worker never sees it half filled nor scans a second time.
        """
        return self.source != ShowcaseSource.FRONT_API

    def prepare(self) -> int:
        """Ready `read` for worker threads (no database, no shared cache to fill); the calls it may keep in flight.

        Call on the calling thread: a new Ozon client reads the settings, and the
        storefront scan (its pages read concurrently) is cached here once.
        """
        if self.source == ShowcaseSource.FRONT_API:
            self._scan_front()
            return 1  # `read` is a lookup in the scan
        return self.ozon().concurrency

    def _scan_front(self) -> dict[int, Decimal | None]:
        if self._front_scan is None:
            self._front_scan = {}
            for page in self.front().seller_prices():
                self._front_scan.update({p.sku: p.card_price for p in page})
        return self._front_scan

    def close(self) -> None:
        for client in self._owned:
            client.close()


def _chunks(product_ids: list[int] | None, account: Account | None = None) -> Iterator[list[Sku]]:
    rows = Sku.objects.filter(missing_since__isnull=True).only("id", "product_id", "sku").order_by("id")
    if account is not None:
        rows = rows.filter(account=account)
    if product_ids is not None:
        rows = rows.filter(product_id__in=product_ids)
    last_id = 0
    while True:
        chunk = list(rows.filter(id__gt=last_id)[:PAGE_LIMIT])
        if not chunk:
            return
        last_id = chunk[-1].id
        yield chunk


@task_run("showcase_prices_fetch")
def showcase_prices_fetch(
    *,
    account: Account | None = None,
    product_ids: Iterable[int] | None = None,
    ozon: OzonClient | None = None,
    front: FrontPriceClient | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> FetchResult:
    """Refresh `front_price` for the catalogue (or the given products). Never raises for upstream trouble.

    `on_progress` is called with the number of SKUs read so far after each chunk.
    """
    runtime = RuntimeSettings.load()
    ids = [int(pid) for pid in product_ids] if product_ids is not None else None
    result = FetchResult(source=runtime.showcase_source)
    reader = ShowcaseReader(runtime, ozon=ozon, front=front, account=account)
    try:
        chunks = _chunks(ids, account)
        first = next(chunks, None)
        concurrency = reader.prepare() if first is not None else 1
        # Several chunks read at once (HTTP only in the workers); each recorded here, in order.
        for outcome in calls_concurrent(reader.read, chain([first] if first else [], chunks), concurrency=concurrency):
            if outcome.error is not None:
                raise outcome.error
            chunk, prices = outcome.item, outcome.value or {}
            now = timezone.now()
            changed = []
            for sku in chunk:
                value = prices.get(sku.id)
                if value is None:
                    if ids is not None:
                        result.errors.append(
                            {
                                "product_id": str(sku.product_id),
                                "error": _("No showcase price from %(source)s") % {"source": result.source},
                            }
                        )
                    continue
                sku.front_price, sku.front_price_source, sku.front_price_timestamp = value, result.source, now
                changed.append(sku)
            result.fetched += len(chunk)
            with transaction.atomic():
                rows_update(changed, ["front_price", "front_price_source", "front_price_timestamp"])
            result.updated += len(changed)
            if on_progress is not None:
                on_progress(result.fetched)
        if ids is not None:
            known = set(Sku.objects.filter(product_id__in=ids).values_list("product_id", flat=True))
            result.errors.extend(
                {"product_id": str(pid), "error": _("Unknown product")} for pid in ids if pid not in known
            )
    except ApiError as error:
        result.error = str(error)
    finally:
        reader.close()
    run_summary_log(logger, result)
    return result

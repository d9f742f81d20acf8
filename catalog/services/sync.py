"""Catalogue sync: one Ozon account's products onto its `Sku` rows, keyed by (account, `product_id`).

The sync streams: for each page of `/v3/product/list` (1000 products) it reads
info, prices and stocks for exactly those ids and upserts the page in one
statement, so memory stays flat and Ozon sees the fewest calls possible
(4 per 1000 products). The reads run concurrently (`sync_pages.py`): a page's
three reads together, overlapping the next list page and the previous page's
upsert, the `ALL` and `ARCHIVED` listings side by side. Products Ozon no longer returns are marked, never
deleted, and only after a sync that read the whole catalogue.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from catalog.services.sync_pages import FetchedPage, sync_pages_fetched
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import (
    ListedProduct,
    OzonClient,
    ProductInfo,
    ProductListRepeated,
    ProductPrice,
    ProductStock,
)
from ozonprice.db import row_new, rows_insert
from ozonprice.models import Account
from ozonprice.runs import RunResult, run_summary_log, task_run
from ozonprice.task_runs import task_run_recorded

logger = logging.getLogger(__name__)

# A second pass reads archived products: Ozon's `ALL` leaves them out (§1).
VISIBILITIES = ("ALL", "ARCHIVED")


class ListingDisagrees(Exception):
    """A second pass of Ozon's product list contradicted the first: the sync marks nothing missing."""


@dataclass
class SyncResult(RunResult[dict[str, str]]):
    run_name: ClassVar[str] = "sync"

    fetched: int = 0
    created: int = 0
    updated: int = 0
    marked_missing: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def details(self) -> str:
        return (
            f"fetched {self.fetched}, created {self.created}, updated {self.updated}, "
            f"marked missing {self.marked_missing}, item errors {len(self.errors)}, "
            f"Ozon calls {sum(self.calls.values())}, {self.seconds:.1f}s"
        )


def product_url(sku: int | None) -> str:
    return f"https://www.ozon.ru/product/{sku}/" if sku else ""


@task_run("sku_sync_all")
@task_run_recorded("monitor_products")
def sku_sync_all(*, account: Account | None = None, client: OzonClient | None = None) -> SyncResult:
    """Sync one account's whole catalogue (None: the only account). Never raises for Ozon trouble.

    The result says what failed. Pages already written stay written (each is a
    whole, valid upsert); rows the failed run did not reach keep their last
    good state, and nothing is marked missing after a failed run. Another
    account's rows are never read nor written. `client`: one for this account.
    """
    started_clock = time.monotonic()
    started = timezone.now()
    result = SyncResult()
    own_client = client is None
    assert account is not None, "task_run_recorded resolves it"
    try:
        client = client or OzonClient.of(account)
    except ApiError as error:
        result.error = str(error)
        run_summary_log(logger, result)
        return result
    skipped: set[int] = set()
    repeated = False
    try:
        try:
            pages = sync_pages_fetched(client=client, account=account, visibilities=VISIBILITIES, build=_page_rows)
            for fetched in pages:
                _sync_page(fetched, account=account, result=result, skipped=skipped)
        except ProductListRepeated as error:
            # What was read is written; the rest of that listing is unknown, so
            # marking anything missing now needs a second pass to agree.
            logger.warning("%s", error)
            repeated = True
        result.marked_missing = _mark_missing(
            client, account=account, started=started, skipped=skipped, confirm=repeated
        )
    except (ApiError, ListingDisagrees) as error:
        result.error = str(error)
    finally:
        result.calls = dict(client.calls)
        result.seconds = time.monotonic() - started_clock
        if own_client:
            client.close()
    run_summary_log(logger, result)
    return result


def _page_rows(
    page: list[ListedProduct],
    infos: dict[int, ProductInfo],
    prices: dict[int, ProductPrice],
    stocks: dict[int, ProductStock],
) -> tuple[list[Sku], list[int]]:
    """The page's rows, and the products listed without info. Pure: it runs in a worker."""
    now = timezone.now()
    rows, unknown = [], []
    for listed in page:
        info = infos.get(listed.product_id)
        if info is None:
            unknown.append(listed.product_id)
            continue
        rows.append(_sku_row(listed, info, prices.get(listed.product_id), stocks.get(listed.product_id), now=now))
    return rows, unknown


def _sync_page(
    fetched: FetchedPage[tuple[list[Sku], list[int]]], *, account: Account, result: SyncResult, skipped: set[int]
) -> None:
    rows, unknown = fetched.built
    for product_id in unknown:
        skipped.add(product_id)
        result.errors.append(
            {"product_id": str(product_id), "error": "Ozon listed the product but returned no info for it"}
        )
    for row in rows:
        row.account_id = account.pk  # built in a worker, which knows no account
        row.price_version = fetched.versions.get(row.product_id, 0)
    result.fetched += len(fetched.page)
    created, updated = sku_upsert(rows, account=account, existing=set(fetched.versions))
    result.created += created
    result.updated += updated


def _sku_row(
    listed: ListedProduct, info: ProductInfo, price: ProductPrice | None, stock: ProductStock | None, *, now
) -> Sku:
    # v5 prices are the current values; v3 info's strings are the fallback.
    source = price or info
    if stock is not None:
        present, reserved = stock.present, stock.reserved
        available = present - reserved > 0
    else:
        present, reserved, available = 0, 0, info.has_stock
    # row_new: 1000 rows a page through `Model.__init__` cost a worker ~12 ms of the GIL.
    return row_new(
        Sku,
        product_id=listed.product_id,
        offer_id=info.offer_id or listed.offer_id,
        sku=info.sku,
        name=info.name[:500],
        product_url=product_url(info.sku),
        price=source.price,
        old_price=source.old_price,
        min_price=source.min_price,
        marketing_seller_price=price.marketing_seller_price if price else None,
        currency_code=(source.currency_code or "RUB")[:3],
        available=available,
        stock_present=present,
        stock_reserved=reserved,
        archived=listed.archived or info.archived,
        visible=info.visible,
        status=info.status[:64],
        images=info.images,
        primary_image=info.primary_image[:1000],
        color_image=info.color_image[:1000],
        missing_since=None,
        synced_at=now,
    )


def sku_upsert(rows: list[Sku], *, account: Account, existing: set[int] | None = None) -> tuple[int, int]:
    """Insert or refresh one account's rows by (account, `product_id`) in one statement; returns (created, updated).

    Only the columns sync owns are overwritten: MRPC, discount and `active`
    stay as the manager set them. The prices are overwritten only where the
    row's `price_version` still equals the row's own (read before Ozon's
    prices were): a price maintenance recorded meanwhile is newer and stays.
    `existing`: the product ids known to exist already (saves a query).
    """
    if not rows:
        return 0, 0
    ids = [row.product_id for row in rows]
    for row in rows:
        row.account_id = account.pk
    with transaction.atomic():
        if existing is None:  # a caller with no earlier read: guard against nothing older than now
            versions = dict(
                Sku.objects.filter(account=account, product_id__in=ids).values_list("product_id", "price_version")
            )
            for row in rows:
                row.price_version = versions.get(row.product_id, 0)
            existing = set(versions)
        rows_insert(
            rows,
            upsert_on=("account", "product_id"),
            update_fields=Sku.SYNC_FIELDS,
            unless_changed=("price_version", Sku.PRICE_FIELDS),
        )
    updated = len(existing & set(ids))
    return len(set(ids)) - updated, updated


def _mark_missing(client: OzonClient, *, account: Account, started, skipped: Iterable[int], confirm: bool) -> int:
    """Mark what this sync did not see; a large share (or a listing that broke) only once a second pass agrees.

    Ozon's list has been seen to end early (an empty page in the middle) or to
    serve a page twice; taken at its word, that marks the catalogue missing
    and maintenance stops. A real mass removal is marked after the check.
    """
    stale = Sku.objects.filter(
        Q(synced_at__lt=started) | Q(synced_at__isnull=True), account=account, missing_since__isnull=True
    ).exclude(product_id__in=list(skipped))
    unseen = set(stale.values_list("product_id", flat=True))
    if not unseen:
        return 0
    catalogue = Sku.objects.filter(account=account, missing_since__isnull=True).count()
    if confirm or len(unseen) > settings.SYNC_MISSING_GUARD_SHARE * catalogue:
        listed_again = unseen & _listed_ids(client)
        if listed_again:
            raise ListingDisagrees(
                _(
                    "Ozon's product list disagreed between two passes: %(unseen)d of %(catalogue)d products were "
                    "not listed, but %(again)d of them were listed again; nothing was marked missing."
                )
                % {"unseen": len(unseen), "catalogue": catalogue, "again": len(listed_again)}
            )
    return stale.update(missing_since=timezone.now())


def _listed_ids(client: OzonClient) -> set[int]:
    """Every product id Ozon lists now (the list only: one call per 1000 products)."""
    return {
        product.product_id
        for visibility in VISIBILITIES
        for page in client.product_list_pages(visibility=visibility)
        for product in page
    }

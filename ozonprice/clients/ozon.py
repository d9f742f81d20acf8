"""Typed methods over Ozon's Seller API, on top of the HTTP seam.

Shapes follow Ozon's current API exactly (docs/ozon-api.md): `/v3/product/list`
pages by `last_id` and has no reliable `total` any more (switched off on
23 Nov 2026); v5 prices and v4 stocks page by `cursor`; `/v3/product/info/list`
answers `items` without a `result` wrapper.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from ozonprice.clients.http import ApiError, HttpSeam, RetryPolicy
from ozonprice.clients.ozon_actions import ActionsMixin
from ozonprice.clients.ozon_discount_tasks import DiscountTasksMixin
from ozonprice.clients.ozon_pictures import PicturesMixin
from ozonprice.clients.ozon_values import (  # noqa: F401 - OzonResponseError and money are this client's API too
    CENT,
    SERVICE,
    OzonResponseError,
    money,
    ozon_id,
    reading,
    stock_count,
)
from ozonprice.clients.ratelimit import rate_budget

if TYPE_CHECKING:
    from ozonprice.models import Account

# The API log's name for calls made with a caller's own credentials (an image push's `credential`):
# they say nothing about the configured account, so /health does not judge Ozon by them.
CALLER_SERVICE = "ozon_caller"
# Ozon's documented maximum for every list/batch method used here (§1–3, §6).
PAGE_LIMIT = 1000


class ProductListRepeated(OzonResponseError):
    """`/v3/product/list` served products it had already served in this listing: its paging broke."""


@dataclass(frozen=True)
class ListedProduct:
    product_id: int
    offer_id: str
    archived: bool


@dataclass(frozen=True)
class ProductInfo:
    product_id: int
    offer_id: str
    sku: int | None
    name: str
    price: Decimal | None
    old_price: Decimal | None
    min_price: Decimal | None
    currency_code: str
    images: list[str]
    primary_image: str
    color_image: str
    archived: bool
    has_stock: bool
    visible: bool
    status: str


@dataclass(frozen=True)
class ProductPrice:
    product_id: int
    offer_id: str
    price: Decimal | None
    old_price: Decimal | None
    min_price: Decimal | None
    marketing_seller_price: Decimal | None
    currency_code: str


@dataclass(frozen=True)
class ProductStock:
    product_id: int
    present: int
    reserved: int


@dataclass(frozen=True)
class PriceImportResult:
    product_id: int
    offer_id: str
    updated: bool
    errors: list[tuple[str, str]]  # (code, message) as Ozon sent them


@dataclass
class OzonClient(PicturesMixin, ActionsMixin, DiscountTasksMixin):
    base_url: str
    client_id: str
    api_key: str
    rate_limit: float = 40.0
    timeout: tuple[float, float] = (5.0, 60.0)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Any = None
    # Credentials a caller sent for one request, not the configured account's.
    caller_credentials: bool = False
    # The install's account these credentials are (`of`): its calls' audit rows carry it.
    account_id: int | None = None
    # Calls a run may keep in flight at once (`concurrency.calls_concurrent`); the rate limit bounds them all.
    concurrency: int = 1

    def __post_init__(self) -> None:
        extra = {"sleep": self.sleep} if self.sleep is not None else {}
        self.http = HttpSeam(
            service=SERVICE,
            log_service=CALLER_SERVICE if self.caller_credentials else "",
            base_url=self.base_url,
            headers={"Client-Id": self.client_id, "Api-Key": self.api_key},
            secrets=[self.api_key],
            identifiers=[self.client_id],
            account_id=self.account_id,
            timeout=self.timeout,
            # Ozon's limit is per Client-Id: every client of the account, in every process, shares it.
            budget=rate_budget(service=SERVICE, key=self.client_id, rate=self.rate_limit, sleep=self.sleep),
            retry=self.retry,
            parse_error=parse_ozon_error,
            **extra,
        )

    @classmethod
    def of(cls, account: Account, **options: Any) -> OzonClient:
        """A client for one of the install's Ozon accounts (its Client-Id and Api-Key)."""
        if not account.client_id or not account.api_key:
            raise ApiError(
                f"Ozon credentials of the account {account.name!r} are not configured: "
                "set its Client-Id and Api-Key in the admin (Ozon accounts)",
                service=SERVICE,
                endpoint="",
                permanent=True,
            )
        return cls.for_account(client_id=account.client_id, api_key=account.api_key, account_id=account.pk, **options)

    @classmethod
    def for_account(
        cls,
        *,
        client_id: str,
        api_key: str,
        caller_credentials: bool = False,
        account_id: int | None = None,
        rate_limit: float | None = None,
        timeout: tuple[float, float] | None = None,
        retry: RetryPolicy | None = None,
    ) -> OzonClient:
        """A client for these credentials, with the configured host, rate limit, timeouts and retries.

        `caller_credentials`: they came with a request (not the configured account's); the API log
        names such calls apart. `account_id`: the install's account they are (its audit rows say so). `rate_limit`, `timeout`, `retry` replace the configured ones for a
        caller with its own needs (the health probe: one quick try).
        """
        return cls(
            base_url=settings.OZON_API_URL,
            client_id=client_id,
            api_key=api_key,
            caller_credentials=caller_credentials,
            account_id=account_id,
            rate_limit=settings.OZON_RATE_LIMIT if rate_limit is None else rate_limit,
            concurrency=settings.OZON_CONCURRENCY,
            timeout=timeout or (settings.OZON_CONNECT_TIMEOUT, settings.OZON_READ_TIMEOUT),
            retry=retry
            or RetryPolicy(max_retries=settings.OZON_MAX_RETRIES, retry_after_max=settings.OZON_RETRY_AFTER_MAX),
        )

    @property
    def calls(self) -> dict[str, int]:
        """Calls made so far, per endpoint path (retries included)."""
        return self.http.calls

    def close(self) -> None:
        self.http.close()

    # --- /v3/product/list ---------------------------------------------------
    def product_list_pages(self, *, visibility: str = "ALL", limit: int = PAGE_LIMIT) -> Iterator[list[ListedProduct]]:
        """Every product of one visibility, a page at a time.

        Stops on an empty page or one shorter than `limit`; `total` is not used
        (Ozon switched it off). `ALL` excludes archived products.
        """
        last_id = ""
        path = "/v3/product/list"
        seen: set[int] = set()
        while True:
            payload = {"filter": {"visibility": visibility}, "last_id": last_id, "limit": limit}
            data = self.http.post(
                path, payload, idempotent=True, products_count=lambda d: len(d["result"]["items"])
            ).data
            with reading(path):
                result = data["result"]
                items = [
                    ListedProduct(
                        product_id=ozon_id(item["product_id"]),
                        offer_id=str(item["offer_id"]),
                        archived=bool(item.get("archived", False)),
                    )
                    for item in result["items"]
                ]
                next_id = str(result.get("last_id") or "")
            # Each product once: a page of products already served (a cursor that went
            # back) would be counted twice and could loop forever.
            fresh = [p for p in items if p.product_id not in seen]
            if items and not fresh:
                raise self._list_repeated(path, visibility=visibility, last_id=last_id)
            seen.update(p.product_id for p in fresh)
            if fresh:
                yield fresh
            if len(items) < limit or not next_id:
                return
            if next_id == last_id:
                # A full page and a cursor that did not move: the next page would be this one again.
                raise self._list_repeated(path, visibility=visibility, last_id=last_id)
            last_id = next_id

    @staticmethod
    def _list_repeated(path: str, *, visibility: str, last_id: str) -> ProductListRepeated:
        return ProductListRepeated(
            f"Ozon's product list ({visibility}) served a page again after last_id {last_id!r}",
            service=SERVICE,
            endpoint=path,
            permanent=False,
        )

    # --- /v3/product/info/list ---------------------------------------------
    def product_info_list(self, *, product_ids: Sequence[int]) -> list[ProductInfo]:
        _check_batch(product_ids)
        if not product_ids:
            return []
        path = "/v3/product/info/list"
        payload = {"product_id": [str(pid) for pid in product_ids]}
        data = self.http.post(path, payload, idempotent=True, products_count=len(product_ids)).data
        with reading(path):
            return [_product_info(item) for item in data["items"]]

    # --- /v5/product/info/prices -------------------------------------------
    def product_prices(
        self, *, product_ids: Sequence[int] | None = None, visibility: str = "ALL"
    ) -> Iterator[list[ProductPrice]]:
        """Prices of the given products (≤ 1000), or of the whole catalogue, a page at a time."""
        yield from self._cursor_pages(
            "/v5/product/info/prices", product_ids=product_ids, visibility=visibility, parse=_product_price
        )

    # --- /v4/product/info/stocks -------------------------------------------
    def product_stocks(
        self, *, product_ids: Sequence[int] | None = None, visibility: str = "ALL"
    ) -> Iterator[list[ProductStock]]:
        yield from self._cursor_pages(
            "/v4/product/info/stocks", product_ids=product_ids, visibility=visibility, parse=_product_stock
        )

    def _cursor_pages(self, path: str, *, product_ids, visibility: str, parse) -> Iterator[list]:
        """Cursor paging shared by v5 prices and v4 stocks.

        Stops on an empty cursor, an empty or short page, or once every
        requested id has come back (saves Ozon's trailing empty page).
        """
        filter_: dict[str, Any] = {"visibility": visibility}
        wanted = None
        if product_ids is not None:
            _check_batch(product_ids)
            if not product_ids:
                return
            filter_["product_id"] = [str(pid) for pid in product_ids]
            wanted = len(product_ids)
        cursor, seen = "", 0
        while True:
            payload = {"cursor": cursor, "filter": filter_, "limit": PAGE_LIMIT}
            data = self.http.post(path, payload, idempotent=True, products_count=lambda d: len(d["items"])).data
            with reading(path):
                rows = data["items"]
                page = [parse(item) for item in rows]
                next_cursor = str(data.get("cursor") or "")
            if page:
                yield page
            seen += len(page)
            if (
                not next_cursor
                or len(rows) < PAGE_LIMIT
                or next_cursor == cursor
                or (wanted is not None and seen >= wanted)
            ):
                return
            cursor = next_cursor

    # --- /v1/product/import/prices ------------------------------------------
    def import_prices(self, *, items: Sequence[dict[str, Any]]) -> list[PriceImportResult]:
        """Send up to 1000 price items; Ozon answers per item inside a 200 (§4).

        A write: never re-sent after a timeout or a 5xx (the seam re-sends only
        what certainly did not run). Callers reconcile by reading prices back.
        """
        _check_batch(items)
        path = "/v1/product/import/prices"
        data = self.http.post(path, {"prices": list(items)}, idempotent=False, products_count=len(items)).data
        with reading(path):
            return [
                PriceImportResult(
                    product_id=ozon_id(row.get("product_id") or 0),
                    offer_id=str(row.get("offer_id") or ""),
                    updated=bool(row.get("updated")),
                    errors=[(str(e.get("code") or ""), str(e.get("message") or "")) for e in row.get("errors") or []],
                )
                for row in data["result"]
            ]

    # --- /v1/product/prices/details (Premium Pro) ----------------------------
    def prices_details(self, *, skus: Sequence[int]) -> dict[int, Decimal | None]:
        """The price the buyer sees (`customer_price`) per Ozon SKU (§8)."""
        _check_batch(skus)
        if not skus:
            return {}
        path = "/v1/product/prices/details"
        data = self.http.post(path, {"skus": [str(s) for s in skus]}, idempotent=True, products_count=len(skus)).data
        with reading(path):
            return {
                ozon_id(row["sku"]): money((row.get("customer_price") or {}).get("amount"))
                for row in data.get("prices") or []
            }


# --- parsing ---------------------------------------------------------------
def parse_ozon_error(data: Any) -> tuple[str | int | None, str]:
    """Ozon's error body `rpcStatus {code, message, details}`; `code` may be int or string (§7)."""
    if isinstance(data, dict):
        return data.get("code"), str(data.get("message") or "")
    return None, ""


def _check_batch(ids: Sequence[object]) -> None:
    if len(ids) > PAGE_LIMIT:
        raise ValueError(f"Ozon takes at most {PAGE_LIMIT} ids per call, got {len(ids)}")


def _first(value: Any) -> str:
    """`primary_image` and `color_image` are arrays in v3 info (a string in older answers)."""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _product_info(item: dict) -> ProductInfo:
    stocks = item.get("stocks") or {}
    visibility = item.get("visibility_details") or {}
    statuses = item.get("statuses") or {}
    sku = item.get("sku")
    return ProductInfo(
        product_id=ozon_id(item["id"]),
        offer_id=str(item["offer_id"]),
        sku=ozon_id(sku) if sku else None,
        name=str(item.get("name") or ""),
        price=money(item.get("price")),
        old_price=money(item.get("old_price")),
        min_price=money(item.get("min_price")),
        currency_code=str(item.get("currency_code") or "RUB"),
        images=[str(url) for url in item.get("images") or []],
        primary_image=_first(item.get("primary_image")),
        color_image=_first(item.get("color_image")),
        archived=bool(item.get("is_archived") or item.get("is_autoarchived")),
        has_stock=bool(stocks.get("has_stock", False)),
        visible=bool(visibility.get("has_price", True) and visibility.get("has_stock", True)),
        status=str(statuses.get("status") or ""),
    )


def _product_price(item: dict) -> ProductPrice:
    price = item["price"]
    return ProductPrice(
        product_id=ozon_id(item["product_id"]),
        offer_id=str(item.get("offer_id") or ""),
        price=money(price.get("price")),
        old_price=money(price.get("old_price")),
        min_price=money(price.get("min_price")),
        marketing_seller_price=money(price.get("marketing_seller_price")),
        currency_code=str(price.get("currency_code") or "RUB"),
    )


def _product_stock(item: dict) -> ProductStock:
    present = reserved = 0
    for stock in item.get("stocks") or []:
        present += stock_count(stock.get("present") or 0)
        reserved += stock_count(stock.get("reserved") or 0)
    return ProductStock(
        product_id=ozon_id(item["product_id"]), present=stock_count(present), reserved=stock_count(reserved)
    )

"""The Front Price API: a storefront reader the seller runs, giving what buyers see.

`GET {base}/api/v1/seller/{seller_id}?page=N` → `{"pagination": {current_page,
total_pages, items_per_page, total_items}, "products": [{sku_id, name, price:
{original, discount, discount_percent, final, card_price}, ...}]}` (SPEC §2.2).
The showcase price is `price.card_price`, matched to our SKUs by `sku_id`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings

from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.http import ApiError, HttpSeam, RetryPolicy
from ozonprice.clients.ozon import OzonResponseError, money
from ozonprice.clients.ratelimit import rate_budget

SERVICE = "front_price"
# A guard against a pagination that never ends (a broken total_pages).
MAX_PAGES = 10_000


@dataclass(frozen=True)
class ShowcasePrice:
    sku: int
    card_price: Decimal | None
    final: Decimal | None


@dataclass
class FrontPriceClient:
    base_url: str
    seller_id: str
    rate_limit: float = 10.0
    timeout: tuple[float, float] = (5.0, 30.0)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Any = None
    # Pages read at once (`concurrency.calls_concurrent`); the rate limit bounds them all.
    concurrency: int = 1
    # The install's Ozon account whose storefront this reads: its calls' audit rows carry it.
    account_id: int | None = None

    @classmethod
    def for_seller(cls, *, base_url: str, seller_id: str, account_id: int | None = None) -> FrontPriceClient:
        """A client with the configured rate limit and concurrency (FRONT_PRICE_RATE_LIMIT, FRONT_PRICE_CONCURRENCY)."""
        return cls(
            base_url=base_url,
            seller_id=seller_id,
            account_id=account_id,
            rate_limit=settings.FRONT_PRICE_RATE_LIMIT,
            concurrency=settings.FRONT_PRICE_CONCURRENCY,
        )

    def __post_init__(self) -> None:
        if not self.base_url or not self.seller_id:
            raise ApiError(
                "the Front Price API is not configured: set its URL and seller id in the account's settings",
                service=SERVICE,
                endpoint="",
                permanent=True,
            )
        extra = {"sleep": self.sleep} if self.sleep is not None else {}
        self.http = HttpSeam(
            service=SERVICE,
            base_url=self.base_url,
            timeout=self.timeout,
            # One budget per Front Price API (its URL), whichever client reads it.
            budget=rate_budget(service=SERVICE, key=self.base_url.rstrip("/"), rate=self.rate_limit, sleep=self.sleep),
            retry=self.retry,
            parse_error=_parse_error,
            outbound_guard=True,  # the URL is a runtime setting a manager types
            account_id=self.account_id,
            **extra,
        )

    @property
    def calls(self) -> dict[str, int]:
        return self.http.calls

    def close(self) -> None:
        self.http.close()

    def seller_prices(self) -> Iterator[list[ShowcasePrice]]:
        """Every product of the seller on the storefront, a page at a time, in page order.

        Page 1 says how many pages there are; the rest are read up to
        `concurrency` at once (the rate limit bounds them all). Reading stops
        at the first empty page, as it did one page at a time.
        """
        path = f"/api/v1/seller/{quote(str(self.seller_id), safe='')}"
        total_pages, rows = self._page(path, 1)
        if not rows:
            return
        yield rows
        pages = range(2, min(total_pages, MAX_PAGES) + 1)
        for outcome in calls_concurrent(lambda page: self._page(path, page), pages, concurrency=self.concurrency):
            if outcome.error is not None:
                raise outcome.error
            assert outcome.value is not None, "a page read either returns or fails"
            _total, rows = outcome.value
            if not rows:
                return
            yield rows

    def _page(self, path: str, page: int) -> tuple[int, list[ShowcasePrice]]:
        """One page: the total page count it states, and its products (HTTP and parsing only: no database)."""
        data = self.http.get(path, {"page": page}, products_count=lambda d: len(d["products"])).data
        try:
            return int(data["pagination"]["total_pages"]), [_showcase_price(item) for item in data["products"]]
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise OzonResponseError(
                f"the Front Price API sent a malformed page {page}: {type(exc).__name__}: {exc}",
                service=SERVICE,
                endpoint=path,
                permanent=True,
            ) from None


def _showcase_price(item: dict) -> ShowcasePrice:
    price = item.get("price") or {}
    return ShowcasePrice(
        sku=int(item["sku_id"]),
        card_price=money(price.get("card_price")),
        final=money(price.get("final")),
    )


def _parse_error(data: Any) -> tuple[str | int | None, str]:
    if isinstance(data, dict):
        return data.get("code"), str(data.get("message") or data.get("detail") or data.get("error") or "")
    return None, ""

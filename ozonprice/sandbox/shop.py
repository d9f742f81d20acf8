"""One seller account of the sandbox: its Client-Id / Api-Key and everything Ozon keeps for it.

A `Shop` holds one account's catalogue, prices (imports not yet applied, the hourly
budget per product), storefront, promotions, discount requests and picture tasks,
its own call counts and its own faults (`fail_next`, `answer_late_next`, `outage`).
The `OzonSandbox` (server.py) serves several shops on one port: each request's
`Client-Id` picks the shop and its `Api-Key` must be that shop's; handlers get the
shop, so one account never sees another's products.

Ozon's product_id and SKU are unique across sellers, so account `k` (0-based)
numbers its catalogue from index `1 + k * ACCOUNT_INDEX_SPAN` (product ids
100000001… for the first, 101000001… for the second); `shared_product_ids` on the
sandbox starts every catalogue at index 1 instead, for the case where two
accounts hold the same product_id. Discount-request and picture task ids are
apart in the same way.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.catalog import Catalog
from ozonprice.sandbox.catalog_controls import CatalogControls
from ozonprice.sandbox.discounts import FIRST_TASK_ID as FIRST_DISCOUNT_TASK_ID
from ozonprice.sandbox.discounts import DiscountDesk
from ozonprice.sandbox.faults import FaultInjection, internal_error
from ozonprice.sandbox.pictures_api import FIRST_TASK_ID as FIRST_PICTURE_TASK_ID
from ozonprice.sandbox.pictures_api import PictureDesk
from ozonprice.sandbox.prices_api import PriceDesk
from ozonprice.sandbox.promotion_controls import MIN_PRICE_FLAG, PromotionControls
from ozonprice.sandbox.promotions import Promotions
from ozonprice.sandbox.routing import OzonError, Reply
from ozonprice.sandbox.storefront import Storefront
from ozonprice.sandbox.wallclock import WallClock

if TYPE_CHECKING:
    from ozonprice.sandbox.demo_promotions import PromotionSeeding
    from ozonprice.sandbox.server import OzonSandbox

# Catalogue indices (and so product ids, SKUs, offer ids) each further account starts apart.
ACCOUNT_INDEX_SPAN = 1_000_000
# Discount-request and picture task ids each further account starts apart.
ACCOUNT_TASK_SPAN = 100_000


def outage_error(status: int) -> OzonError:
    """What Ozon answers while it is down for one seller: its 5xx in the `rpcStatus` shape."""
    if status in (502, 503, 504):
        # gRPC 14 UNAVAILABLE: a gateway or an overloaded service.
        return OzonError(status, 14, "Service is unavailable, try again later")
    # 13 INTERNAL with Ozon's documented "Internal error" (docs/ozon-api.md §7), as `faults.internal_error`.
    internal = internal_error()
    return OzonError(status, internal.code, internal.message)


class Shop(FaultInjection, CatalogControls, PromotionControls):
    """One account's Ozon: its credentials, catalogue, desks, counters and faults (see the module doc).

    Prices: `price_apply_delay_s` is how long an accepted import takes to show
    in v3 info and v5 prices (sandbox clock); `storefront_delay_s` how long the
    storefront then lags; `marketplace_discount_share` of products (a pure function of seed
    and index) show `marketplace_discount_percent` % below the seller's price;
    `premium_pro=False` makes `/v1/product/prices/details` answer 403.
    `price_imports` holds every import batch answered; `reject_prices`,
    `set_marketplace_discount`, `showcase_price`, `price_flags` are for tests;
    `answer_late_next` runs the next call(s) of a path but holds the answer back.
    Front Price API: `GET {url}/api/v1/seller/{id}?page=N`, `front_page_size`
    a page; `front_seller_id=None` serves any seller id, a string only that one
    (with several accounts, the account whose `front_seller_id` it is).
    Pictures: tasks finish `pictures_delay_s` after import; at most
    `pictures_per_minute` items a minute (0 = no quota).
    Promotions (`promotion_controls.py` for the controls): Ozon's actions, the
    seller's actions, min-price timers (`min_price_timer_days` a renewal) and
    buyer discount requests; dates are `wall_start` (default: now) plus the
    sandbox clock. `promotions=True` (or a dict of `seed_promotions` options)
    seeds the deterministic demo set.
    """

    def __init__(
        self,
        *,
        sandbox: OzonSandbox | None,
        client_id: str,
        api_key: str,
        products: int,
        seed: int = 1,
        number: int = 0,
        shared_product_ids: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wall_start: datetime | None = None,
        storefront_delay_s: float = 0.0,
        price_apply_delay_s: float = 0.0,
        marketplace_discount_share: float = 0.0,
        marketplace_discount_percent: float | Decimal = 5,
        premium_pro: bool = True,
        front_seller_id: str | None = None,
        front_page_size: int = 100,
        pictures_delay_s: float = 0.5,
        pictures_per_minute: int = 60,
        min_price_timer_days: float = 30,
        promotions: bool | Mapping[str, Any] = False,
    ) -> None:
        if not client_id or not api_key:
            raise ValueError("every sandbox account needs a Client-Id and an Api-Key")
        if front_page_size < 1:
            raise ValueError("front_page_size must be ≥ 1")
        self.sandbox = sandbox
        self.client_id = client_id
        self.api_key = api_key
        self.number = number
        first = 1 if shared_product_ids else 1 + number * ACCOUNT_INDEX_SPAN
        self.catalog = Catalog(products, seed, first=first)
        self.clock = clock
        self.seed = seed
        self.storefront = Storefront(
            self.catalog,
            delay_s=storefront_delay_s,
            discount_share=marketplace_discount_share,
            discount_percent=marketplace_discount_percent,
            clock=clock,
        )
        self.price_desk = PriceDesk(clock, apply_delay_s=price_apply_delay_s)
        self.wall = WallClock(clock, wall_start)
        self.promotions = Promotions(
            self.wall,
            timer_days=min_price_timer_days,
            min_price_guarded=lambda index: self.price_desk.flag(index, MIN_PRICE_FLAG),
        )
        self.discounts = DiscountDesk(self.wall, first_id=FIRST_DISCOUNT_TASK_ID + number * ACCOUNT_TASK_SPAN)
        self.storefront.promotions, self.storefront.discount_requests = self.promotions, self.discounts
        self.pictures = PictureDesk(
            clock,
            delay_s=pictures_delay_s,
            per_minute=pictures_per_minute,
            first_id=FIRST_PICTURE_TASK_ID + number * ACCOUNT_TASK_SPAN,
        )
        self.premium_pro = premium_pro
        self.front_seller_id = front_seller_id
        self.front_page_size = front_page_size
        # Requests that carried this Client-Id, per path, and the seconds spent answering them.
        self.calls: dict[str, int] = {}
        self.processing_s = 0.0
        # While set, every Ozon call of this account answers this 5xx (`outage`).
        self.outage_status: int | None = None
        self._lock = threading.Lock()
        self._injected: dict[str, deque[Reply | None]] = {}
        self._late: dict[str, deque[float]] = {}
        self.promotion_seeding: PromotionSeeding | None = None
        if promotions:  # True, or `seed_promotions` options
            self.seed_promotions(**(promotions if isinstance(promotions, Mapping) else {}))

    def __repr__(self) -> str:
        return f"<Shop {self.client_id}: {self.catalog.size} products from index {self.catalog.first}>"

    # --- faults of this account ------------------------------------------------------
    def outage(self, status: int | None = 503) -> None:
        """Every Ozon call of this account answers `status` (a 5xx) until `outage(None)`; others work on."""
        if status is not None and not 500 <= status <= 599:
            raise ValueError("an outage answers a 5xx status")
        with self._lock:
            self.outage_status = status

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    # --- price and picture controls ------------------------------------------------
    @property
    def price_imports(self) -> list[list[Any]]:
        """Every `/v1/product/import/prices` batch answered with 200 (its `prices`), oldest first."""
        return self.price_desk.imports

    @property
    def picture_imports(self) -> list[list[Any]]:
        """Every accepted `/v2/product/pictures/import` batch (its `items`), oldest first."""
        return self.pictures.imports

    def _index(self, product_id: int | str) -> int:
        product = self.catalog.by_product_id(product_id)
        if product is None:
            raise KeyError(f"no product {product_id} in the sandbox account {self.client_id}")
        return product.index

    def reject_prices(self, product_id: int | str, code: str | None, message: str = "") -> None:
        """Make price imports of one product fail with this item error; `code=None` lifts it."""
        self.price_desk.reject(self._index(product_id), code, message or code or "")

    def price_flags(self, product_id: int | str) -> dict[str, Any]:
        """The promotion flags, currency and VAT last accepted for the product, as sent."""
        return self.price_desk.flags(self._index(product_id))

    def price_changes_last_hour(self, product_id: int | str) -> int:
        return self.price_desk.changes_last_hour(self._index(product_id))

    def set_marketplace_discount(self, product_id: int | str, percent: float | Decimal | None) -> None:
        """Ozon co-funds `percent` % off this product's showcase; None (or 0) takes it away."""
        self.storefront.set_discount(self._index(product_id), percent)

    def marketplace_discount(self, product_id: int | str) -> Decimal:
        return self.storefront.discount_percent(self._index(product_id))

    def showcase_price(self, product_id: int | str) -> Decimal | None:
        """What the buyer sees now (`customer_price` / `card_price`); None if the product is gone."""
        product = self.product(product_id)
        return self.storefront.showcase(product) if product is not None else None

    def settle(self) -> None:
        """Apply what fell due: accepted prices, storefront prices, picture tasks (cheap when nothing did)."""
        self.price_desk.settle(self)
        self.storefront.settle()
        self.pictures.settle(self)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": sum(self.calls.values()), "processing_s": self.processing_s}


def numbered_accounts(
    count: int,
    *,
    client_id: str = "sandbox",
    api_key: str = "sandbox-key",
    seed: int = 1,
    front_seller_id: str | None = None,
) -> list[dict[str, Any]]:
    """`count` accounts: `client_id` / `api_key` first, then "<client_id>-2" / "<client_id>-2-key", … with
    seeds `seed`, `seed + 1`, … (different products in each). A `front_seller_id` is numbered the same
    way ("<id>", "<id>-2", …): one id for all would show only the first account's storefront."""
    if count < 1:
        raise ValueError("accounts must be ≥ 1")
    accounts: list[dict[str, Any]] = [
        {"client_id": client_id, "api_key": api_key, "seed": seed}
        if n == 1
        else {"client_id": f"{client_id}-{n}", "api_key": f"{client_id}-{n}-key", "seed": seed + n - 1}
        for n in range(1, count + 1)
    ]
    if front_seller_id is not None:
        for n, account in enumerate(accounts, start=1):
            account["front_seller_id"] = front_seller_id if n == 1 else f"{front_seller_id}-{n}"
    return accounts


def shops_open(
    sandbox: OzonSandbox,
    accounts: Sequence[Mapping[str, Any]],
    defaults: Mapping[str, Any],
    *,
    shared_product_ids: bool,
    clock: Callable[[], float],
    wall_start: datetime | None,
) -> dict[str, Shop]:
    """One shop per account mapping (its `client_id`, `api_key` and options over the sandbox's `defaults`)."""
    if not accounts:
        raise ValueError("the sandbox needs at least one account")
    shops: dict[str, Shop] = {}
    for number, options in enumerate(accounts):
        unknown = set(options) - set(defaults) - {"client_id", "api_key"}
        if unknown:
            raise ValueError(f"unknown sandbox account options {sorted(unknown)}")
        shop = Shop(
            sandbox=sandbox,
            number=number,
            shared_product_ids=shared_product_ids,
            clock=clock,
            wall_start=wall_start,
            **{**defaults, **options},
        )
        if shop.client_id in shops:
            raise ValueError(f"two sandbox accounts with the Client-Id {shop.client_id!r}")
        shops[shop.client_id] = shop
    return shops

"""`OzonSandbox`: a local test double of Ozon's Seller API over real HTTP.

Standard library only (no Django), so it runs in tests, in `manage.py
ozon_sandbox` and in benchmarks alike. It binds to 127.0.0.1 only and serves a
deterministic demo catalogue (`catalog.py`) in Ozon's current shapes
(`seller_api.py`, `shapes.py`), price writes and the showcase price
(`prices_api.py`, `storefront.py`), pictures (`pictures_api.py`) and a fake
Front Price API (`frontprice_api.py`). It is never the real Ozon.

Per request, in order: count it per Client-Id and second (429 over `rate_limit`), count the call, settle what fell
due (accepted prices, storefront prices, picture tasks), find the route (404 /
405), check `Client-Id` / `Api-Key` (401; per route), answer an injected
failure if one is queued for the path, roll `fail_rate` (429 or 500), parse
the JSON body (400), run the handler, wait out the rest of `latency_ms`
(counted from the request's arrival), hold the answer back if
`answer_late_next` asked. Every Seller API error body is Ozon's `{code, message, details}`.

Everything that waits (storefront delay, hourly price budget, picture tasks,
picture quota) reads `clock` (default `time.monotonic`), so tests can fake time.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ozonprice.sandbox.actions_api import ACTION_ROUTES
from ozonprice.sandbox.catalog import Catalog
from ozonprice.sandbox.catalog_controls import CatalogControls
from ozonprice.sandbox.demo_promotions import PromotionSeeding
from ozonprice.sandbox.discounts import DiscountDesk
from ozonprice.sandbox.discounts_api import DISCOUNT_ROUTES
from ozonprice.sandbox.faults import (
    FaultInjection,
    internal_error,
    method_not_allowed,
    not_found,
    rate_limited,
    unauthenticated,
)
from ozonprice.sandbox.frontprice_api import FRONT_ROUTES
from ozonprice.sandbox.pictures_api import PICTURE_ROUTES, PictureDesk
from ozonprice.sandbox.prices_api import PRICE_ROUTES, PriceDesk
from ozonprice.sandbox.promotion_controls import MIN_PRICE_FLAG, PromotionControls
from ozonprice.sandbox.promotions import Promotions
from ozonprice.sandbox.rate import RateModel
from ozonprice.sandbox.routing import Handler, OzonError, Reply, Request, Route, encode, invalid_argument
from ozonprice.sandbox.seller_actions_api import SELLER_ACTION_ROUTES
from ozonprice.sandbox.seller_api import SELLER_ROUTES
from ozonprice.sandbox.storefront import Storefront
from ozonprice.sandbox.transport import RequestHandler, SandboxServer
from ozonprice.sandbox.wallclock import WallClock

__all__ = ["LOOPBACK", "OzonSandbox", "Reply"]

LOOPBACK = "127.0.0.1"
# Not Ozon's: the benchmark reads the double's own request count and processing seconds here.
STATS_PATH = "/__sandbox/stats"


def _stats(sandbox: OzonSandbox, request: Request) -> dict[str, Any]:
    with sandbox._lock:
        return {"requests": sum(sandbox.calls.values()), "processing_s": sandbox.processing_s}


class OzonSandbox(FaultInjection, CatalogControls, PromotionControls):
    """A fake Ozon Seller API on 127.0.0.1 with `products` demo products.

    >>> sandbox = OzonSandbox(products=300).start()
    >>> sandbox.url            # http://127.0.0.1:<port>
    >>> sandbox.stop()

    `calls` counts requests per path (thread-safe). `fail_next` queues error
    answers for a path; `set_price`, `set_stock`, `update`, `archive`,
    `unarchive`, `remove`, `restore` and `add_products` change the catalogue.

    Prices: `price_apply_delay_s` is how long an accepted import takes to show
    in v3 info and v5 prices (sandbox clock); `storefront_delay_s` how long the
    storefront then lags; `marketplace_discount_share` of products (a pure function of seed
    and index) show `marketplace_discount_percent` % below the seller's price;
    `premium_pro=False` makes `/v1/product/prices/details` answer 403.
    `price_imports` holds every import batch answered; `reject_prices`,
    `set_marketplace_discount`, `showcase_price`, `price_flags` are for tests;
    `answer_late_next` runs the next call(s) of a path but holds the answer back.
    Front Price API: `GET {url}/api/v1/seller/{id}?page=N`, `front_page_size`
    a page; `front_seller_id=None` serves any seller id, a string only that one.
    Pictures: tasks finish `pictures_delay_s` after import; at most
    `pictures_per_minute` items a minute (0 = no quota).
    Promotions (`promotion_controls.py` for the controls): Ozon's actions, the
    seller's actions, min-price timers (`min_price_timer_days` a renewal) and
    buyer discount requests; dates are `wall_start` (default: now) plus the
    sandbox clock. `promotions=True` (or a dict of `seed_promotions` options)
    seeds the deterministic demo set. `rate_limit` requests a second per
    Client-Id (0 = none; Ozon: 50) answer 429 beyond it; `rate` counts them (`rate.py`).
    """

    def __init__(
        self,
        products: int,
        seed: int = 1,
        latency_ms: int = 0,
        fail_rate: float = 0.0,
        host: str = LOOPBACK,
        port: int = 0,
        client_id: str = "sandbox",
        api_key: str = "sandbox-key",
        verbose: bool = False,
        *,
        storefront_delay_s: float = 0.0,
        price_apply_delay_s: float = 0.0,
        marketplace_discount_share: float = 0.0,
        marketplace_discount_percent: float | Decimal = 5,
        premium_pro: bool = True,
        front_seller_id: str | None = None,
        front_page_size: int = 100,
        pictures_delay_s: float = 0.5,
        pictures_per_minute: int = 60,
        clock: Callable[[], float] = time.monotonic,
        wall_start: datetime | None = None,
        min_price_timer_days: float = 30,
        promotions: bool | Mapping[str, Any] = False,
        rate_limit: int = 0,
    ) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("the Ozon sandbox binds to 127.0.0.1 only")
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if latency_ms < 0:
            raise ValueError("latency_ms must be ≥ 0")
        if front_page_size < 1:
            raise ValueError("front_page_size must be ≥ 1")
        self.catalog = Catalog(products, seed)
        self.clock = clock
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
        self.discounts = DiscountDesk(self.wall)
        self.storefront.promotions, self.storefront.discount_requests = self.promotions, self.discounts
        self.pictures = PictureDesk(clock, delay_s=pictures_delay_s, per_minute=pictures_per_minute)
        self.premium_pro = premium_pro
        self.front_seller_id = front_seller_id
        self.front_page_size = front_page_size
        self.seed = seed
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self.client_id = client_id
        self.api_key = api_key
        self.verbose = verbose
        self.routes: dict[str, Route] = {
            **SELLER_ROUTES,
            **PRICE_ROUTES,
            **PICTURE_ROUTES,
            **FRONT_ROUTES,
            **ACTION_ROUTES,
            **SELLER_ACTION_ROUTES,
            **DISCOUNT_ROUTES,
            STATS_PATH: Route(_stats, method="GET", ozon_auth=False),
        }
        self.calls: dict[str, int] = {}
        self.rate = RateModel(rate_limit)
        # Seconds spent answering (latency sleep excluded), summed over requests: the double's own work.
        self.processing_s = 0.0
        self._port = port
        self._lock = threading.Lock()
        self._injected: dict[str, deque[Reply | None]] = {}
        self._late: dict[str, deque[float]] = {}
        # Set by `stop()`: a held-back answer stops waiting.
        self._stopping = threading.Event()
        # Its own seeded generator: the same seed fails the same requests.
        self._fail_rng = random.Random(f"sandbox-failures-{seed}")
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self.promotion_seeding: PromotionSeeding | None = None
        if promotions:  # True, or `seed_promotions` options
            self.seed_promotions(**(promotions if isinstance(promotions, Mapping) else {}))

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> OzonSandbox:
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        self._stopping.clear()
        server = SandboxServer((LOOPBACK, self._port), RequestHandler)
        server.sandbox = self
        self._server = server
        # A short poll interval: `stop()` waits up to one interval, and tests stop many sandboxes.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="ozon-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OzonSandbox:
        return self if self._server is not None else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted so far (keep-alive clients open few)."""
        return self._server.connections_opened if self._server is not None else 0

    # --- test controls -----------------------------------------------------------
    def add_route(
        self, path: str, handler: Handler, *, method: str = "POST", prefix: bool = False, ozon_auth: bool = True
    ) -> None:
        """Serve `path` with `handler(sandbox, request) -> dict`; the handler raises `OzonError` for errors.

        `prefix=True` matches every path below `path` (ids inside paths);
        `ozon_auth=False` skips the Client-Id / Api-Key check (other fakes).
        """
        self.routes[path] = Route(handler, method=method.upper(), prefix=prefix, ozon_auth=ozon_auth)

    def _find_route(self, path: str) -> Route | None:
        route = self.routes.get(path)
        if route is not None:
            return route
        # The longest matching prefix route, if any (few routes: a scan is fine).
        matches = [(key, r) for key, r in self.routes.items() if r.prefix and path.startswith(key)]
        return max(matches, key=lambda match: len(match[0]))[1] if matches else None

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
            raise KeyError(f"no product {product_id} in the sandbox")
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

    # --- request handling --------------------------------------------------------
    def handle(self, method: str, target: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        """Answer one request; `target` is the path with its query string (the HTTP layer only moves bytes)."""
        parts = urlsplit(target)
        path = parts.path
        refused, limits = self.rate.admit(headers)  # Ozon's per-second limit per Client-Id (rate.py)
        with self._lock:
            self.calls[path] = self.calls.get(path, 0) + 1
            if refused is not None:
                return refused
            late = self._late.get(path)
            late_s = late.popleft() if late else 0.0
        answer = self._answer(method, parts, headers, raw)
        if late_s:
            self._stopping.wait(late_s)  # real time: it is the client's timeout that runs out
        return Reply(answer.status, answer.body, {**answer.headers, **limits}) if limits else answer

    def _answer(self, method: str, parts: Any, headers: Mapping[str, str], raw: bytes) -> Reply:
        path = parts.path
        started = time.perf_counter()
        try:
            self.settle()
            answer = self._route(method, path, parts.query, headers, raw)
            reply = answer if isinstance(answer, Reply) else Reply(200, encode(answer))
        except OzonError as error:
            reply = Reply(error.status, encode(error.body()), dict(error.headers))
        except Exception:  # a sandbox bug: answer like Ozon, but show it
            traceback.print_exc(file=sys.stderr)
            reply = Reply(500, encode(internal_error().body()))
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                self.processing_s += elapsed
        if self.latency_ms:
            # The answer leaves `latency_ms` after the request came in, the double's own work included (as
            # Ozon's servers work in parallel): requests that arrive together are answered together, not
            # one after the other behind this single process's work on the others.
            time.sleep(max(0.0, self.latency_ms / 1000 - elapsed))
        return reply

    def _route(
        self, method: str, path: str, query: str, headers: Mapping[str, str], raw: bytes
    ) -> Reply | dict[str, Any]:
        route = self._find_route(path)
        if route is None:
            raise not_found()
        if method != route.method:
            raise method_not_allowed()
        if route.ozon_auth and (headers.get("Client-Id") != self.client_id or headers.get("Api-Key") != self.api_key):
            raise unauthenticated()
        with self._lock:
            queue = self._injected.get(path)
            injected = queue.popleft() if queue else None
            failing = injected is None and self.fail_rate > 0 and self._fail_rng.random() < self.fail_rate
            limited = failing and self._fail_rng.random() < 0.5
        if injected is not None:
            return injected
        if failing:
            raise rate_limited() if limited else internal_error()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise invalid_argument(f"invalid JSON in the request body: {error}") from None
        if not isinstance(body, dict):
            raise invalid_argument("the request body must be a JSON object")
        request = Request(
            method=method, path=path, body=body, query=dict(parse_qsl(query, keep_blank_values=True)), headers=headers
        )
        return route.handler(self, request)

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
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ozonprice.sandbox.actions_api import ACTION_ROUTES
from ozonprice.sandbox.discounts_api import DISCOUNT_ROUTES
from ozonprice.sandbox.faults import internal_error, method_not_allowed, not_found, rate_limited, unauthenticated
from ozonprice.sandbox.frontprice_api import FRONT_ROUTES
from ozonprice.sandbox.pictures_api import PICTURE_ROUTES
from ozonprice.sandbox.prices_api import PRICE_ROUTES
from ozonprice.sandbox.rate import RateModel
from ozonprice.sandbox.routing import Handler, OzonError, Reply, Request, Route, encode, invalid_argument
from ozonprice.sandbox.seller_actions_api import SELLER_ACTION_ROUTES
from ozonprice.sandbox.seller_api import SELLER_ROUTES
from ozonprice.sandbox.shop import Shop, numbered_accounts, outage_error, shops_open
from ozonprice.sandbox.transport import RequestHandler, SandboxServer

__all__ = ["LOOPBACK", "OzonSandbox", "Reply", "Shop", "numbered_accounts"]

LOOPBACK = "127.0.0.1"
DEFAULT_PRODUCTS = 300
# Not Ozon's: the benchmark reads the double's own request count and processing seconds here.
STATS_PATH = "/__sandbox/stats"


def _stats(shop: Shop, request: Request) -> dict[str, Any]:
    """Requests and processing seconds in all, and per Client-Id (`accounts`)."""
    sandbox = shop.sandbox
    assert sandbox is not None, "a served shop belongs to a sandbox"
    with sandbox._lock:
        total = {"requests": sum(sandbox.calls.values()), "processing_s": sandbox.processing_s}
    return {**total, "accounts": {client_id: s.stats() for client_id, s in sandbox.shops.items()}}


def _first_account_setting(name: str) -> property:
    """A sandbox attribute that reads and sets the first account's (tests switch them on a running sandbox)."""
    return property(lambda self: getattr(self.shop, name), lambda self, value: setattr(self.shop, name, value))


class OzonSandbox:
    """A fake Ozon Seller API on 127.0.0.1 with `products` demo products.

    >>> sandbox = OzonSandbox(products=300).start()
    >>> sandbox.url            # http://127.0.0.1:<port>
    >>> sandbox.stop()

    Accounts (`shop.py`): by default one, `client_id` / `api_key`. `accounts=` serves
    several, each a mapping with its `client_id`, `api_key` and any per-account option
    below (`products`, `seed`, `front_seller_id`, `promotions`, …; the sandbox's own
    arguments are the defaults), or a number: that many numbered accounts ("sandbox",
    "sandbox-2", … with keys "sandbox-key", "sandbox-2-key", …, seeds seed, seed + 1, …,
    and a `front_seller_id` numbered alike: "<id>", "<id>-2", …).
    Each has its own catalogue (product ids apart unless `shared_product_ids`), prices,
    promotions, tasks, call counts and faults: `sandbox.account(client_id)` is its
    `Shop`. Attributes and controls not defined here (`catalog`, `set_price`,
    `fail_next`, …) are the first account's, so a one-account test reads as before.

    `calls` counts requests per path (thread-safe), of every account; `credentials_seen`
    counts requests per (Client-Id, Api-Key) pair they carried. `fail_next` queues error
    answers for a path; `set_price`, `set_stock`, `update`, `archive`, `unarchive`,
    `remove`, `restore` and `add_products` change the catalogue; `outage(503)` makes
    every call of one account answer 503.

    The per-account options (prices, storefront, Front Price API, pictures, promotions)
    are described on `Shop` (`shop.py`). `rate_limit` requests a second per Client-Id
    (0 = none; Ozon: 50) answer 429 beyond it; `rate` counts them (`rate.py`).
    """

    def __init__(
        self,
        products: int = DEFAULT_PRODUCTS,
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
        accounts: int | Sequence[Mapping[str, Any]] | None = None,
        shared_product_ids: bool = False,
    ) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("the Ozon sandbox binds to 127.0.0.1 only")
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if latency_ms < 0:
            raise ValueError("latency_ms must be ≥ 0")
        self.clock = clock
        self.seed = seed
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self.verbose = verbose
        defaults: dict[str, Any] = {
            "products": products,
            "seed": seed,
            "storefront_delay_s": storefront_delay_s,
            "price_apply_delay_s": price_apply_delay_s,
            "marketplace_discount_share": marketplace_discount_share,
            "marketplace_discount_percent": marketplace_discount_percent,
            "premium_pro": premium_pro,
            "front_seller_id": front_seller_id,
            "front_page_size": front_page_size,
            "pictures_delay_s": pictures_delay_s,
            "pictures_per_minute": pictures_per_minute,
            "min_price_timer_days": min_price_timer_days,
            "promotions": promotions,
        }
        if accounts is None:
            accounts = [{"client_id": client_id, "api_key": api_key}]
        elif isinstance(accounts, int):
            accounts = numbered_accounts(
                accounts, client_id=client_id, api_key=api_key, seed=seed, front_seller_id=front_seller_id
            )
        self.shops: dict[str, Shop] = shops_open(
            self, accounts, defaults, shared_product_ids=shared_product_ids, clock=clock, wall_start=wall_start
        )
        # The first account: what a one-account test means by `sandbox.catalog`, `sandbox.fail_next`, ….
        self.shop = next(iter(self.shops.values()))
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
        # Requests per (Client-Id, Api-Key) they carried (None: the header was absent).
        self.credentials_seen: dict[tuple[str | None, str | None], int] = {}
        self.rate = RateModel(rate_limit)
        # Seconds spent answering (latency sleep excluded), summed over requests: the double's own work.
        self.processing_s = 0.0
        self._port = port
        self._lock = threading.Lock()
        # Set by `stop()`: a held-back answer stops waiting.
        self._stopping = threading.Event()
        # Its own seeded generator: the same seed fails the same requests.
        self._fail_rng = random.Random(f"sandbox-failures-{seed}")
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the sandbox lacks: the first account's state and controls.
        if name.startswith("__") or name in ("shop", "shops"):
            raise AttributeError(name)
        return getattr(self.shop, name)

    # The first account's settings that tests change on a running sandbox.
    premium_pro = _first_account_setting("premium_pro")
    front_seller_id = _first_account_setting("front_seller_id")
    front_page_size = _first_account_setting("front_page_size")
    promotion_seeding = _first_account_setting("promotion_seeding")

    # --- accounts ------------------------------------------------------------------
    def account(self, client_id: str) -> Shop:
        """One account's state and controls (`Shop`), by its Client-Id."""
        try:
            return self.shops[client_id]
        except KeyError:
            raise KeyError(f"no sandbox account with the Client-Id {client_id!r}") from None

    @property
    def client_id(self) -> str:
        return self.shop.client_id

    @property
    def api_key(self) -> str:
        return self.shop.api_key

    def shop_of_seller(self, seller_id: str) -> Shop | None:
        """The account a Front Price API seller id shows: the one with that `front_seller_id`, else the first
        that serves any id (`front_seller_id=None`), else none."""
        shops = self.shops.values()
        return next((s for s in shops if s.front_seller_id == seller_id), None) or next(
            (s for s in shops if s.front_seller_id is None), None
        )

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
            self.credentials_seen.clear()
        for shop in self.shops.values():
            shop.reset_calls()

    def clear_failures(self) -> None:
        """Lift every account's injected failures and outage."""
        for shop in self.shops.values():
            shop.clear_failures()
            shop.outage(None)

    def settle(self) -> None:
        """Apply what fell due in every account (cheap when nothing did)."""
        for shop in self.shops.values():
            shop.settle()

    # --- request handling --------------------------------------------------------
    def handle(self, method: str, target: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        """Answer one request; `target` is the path with its query string (the HTTP layer only moves bytes)."""
        parts = urlsplit(target)
        path = parts.path
        refused, limits = self.rate.admit(headers)  # Ozon's per-second limit per Client-Id (rate.py)
        client_id = headers.get("Client-Id")
        # The account the Client-Id names; a request without one (the Front Price API) is the first's.
        shop = self.shops.get(client_id) if client_id is not None else self.shop
        with self._lock:
            self.calls[path] = self.calls.get(path, 0) + 1
            pair = (client_id, headers.get("Api-Key"))
            self.credentials_seen[pair] = self.credentials_seen.get(pair, 0) + 1
        late_s = 0.0
        if shop is not None:
            with shop._lock:
                if client_id is not None:  # counted per Client-Id: only the requests that carried it
                    shop.calls[path] = shop.calls.get(path, 0) + 1
                if refused is None:
                    late = shop._late.get(path)
                    late_s = late.popleft() if late else 0.0
        if refused is not None:
            return refused
        answer = self._answer(method, parts, headers, raw, shop)
        if late_s:
            self._stopping.wait(late_s)  # real time: it is the client's timeout that runs out
        return Reply(answer.status, answer.body, {**answer.headers, **limits}) if limits else answer

    def _answer(self, method: str, parts: Any, headers: Mapping[str, str], raw: bytes, shop: Shop | None) -> Reply:
        path = parts.path
        started = time.perf_counter()
        try:
            self.settle()
            answer = self._route(method, path, parts.query, headers, raw, shop)
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
            if shop is not None and headers.get("Client-Id") is not None:
                with shop._lock:
                    shop.processing_s += elapsed
        if self.latency_ms:
            # The answer leaves `latency_ms` after the request came in, the double's own work included (as
            # Ozon's servers work in parallel): requests that arrive together are answered together, not
            # one after the other behind this single process's work on the others.
            time.sleep(max(0.0, self.latency_ms / 1000 - elapsed))
        return reply

    def _route(
        self, method: str, path: str, query: str, headers: Mapping[str, str], raw: bytes, shop: Shop | None
    ) -> Reply | dict[str, Any]:
        route = self._find_route(path)
        if route is None:
            raise not_found()
        if method != route.method:
            raise method_not_allowed()
        if route.ozon_auth:
            # The pair is checked: an unknown Client-Id, or another account's Api-Key, is Ozon's 401.
            if shop is None or headers.get("Client-Id") != shop.client_id or headers.get("Api-Key") != shop.api_key:
                raise unauthenticated()
        elif shop is None:  # a route without Ozon's auth (another fake) with an unknown Client-Id
            shop = self.shop
        with shop._lock:
            queue = shop._injected.get(path)
            injected = queue.popleft() if queue else None
            outage = shop.outage_status if route.ozon_auth else None
        with self._lock:
            failing = injected is None and self.fail_rate > 0 and self._fail_rng.random() < self.fail_rate
            limited = failing and self._fail_rng.random() < 0.5
        if injected is not None:
            return injected
        if outage is not None:
            raise outage_error(outage)
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
        # The handler sees the account's shop as its "sandbox": its catalogue, desks and controls.
        return route.handler(shop, request)

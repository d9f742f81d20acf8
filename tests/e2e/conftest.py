"""Fixtures for end-to-end tests against the local Ozon sandbox (a test double).

    @pytest.mark.e2e
    def test_sync(ozon_sandbox):                 # 300 products, seed 1
        ...ozon_sandbox.url...

    @pytest.mark.e2e
    @pytest.mark.parametrize("ozon_sandbox", [{"products": 2500, "latency_ms": 5}], indirect=True)
    def test_big_sync(ozon_sandbox): ...

    @pytest.mark.e2e
    def test_two(make_sandbox):
        a = make_sandbox(products=10)
        b = make_sandbox(products=10, fail_rate=0.3, seed=7)

    @pytest.mark.e2e
    def test_app(sandbox_account):               # the app is pointed at the sandbox
        OzonClient.of(account_default())         # talks to sandbox_account.url

    @pytest.mark.e2e
    def test_showcase_lag(make_sandbox, sandbox_clock):
        sandbox = make_sandbox(storefront_delay_s=600, clock=sandbox_clock)
        ...import prices...; sandbox_clock.advance(600)   # the storefront follows

Price, showcase and picture options (see `OzonSandbox`): `storefront_delay_s`,
`marketplace_discount_share` / `marketplace_discount_percent`, `premium_pro`,
`front_seller_id` (None = any id) / `front_page_size`, `pictures_delay_s`,
`pictures_per_minute`, `clock`. The Front Price API is at the sandbox's own
URL: `GET {url}/api/v1/seller/{id}?page=N`.

Every sandbox started here is stopped after the test. The `e2e` marker is
required: it is what lets requests to 127.0.0.1 through the autouse network
block in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ozonprice.sandbox.server import OzonSandbox

DEFAULT_PRODUCTS = 300


class FakeClock:
    """A monotonic clock that moves only when told: `OzonSandbox(..., clock=FakeClock())`."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _require_e2e(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("e2e") is None:
        pytest.fail(
            "tests that use the Ozon sandbox must be marked @pytest.mark.e2e "
            "(otherwise the network block in tests/conftest.py refuses 127.0.0.1)",
            pytrace=False,
        )


@pytest.fixture
def make_sandbox(request: pytest.FixtureRequest) -> Iterator[Callable[..., OzonSandbox]]:
    """A factory: `make_sandbox(products=300, **OzonSandbox options)` → a started sandbox."""
    _require_e2e(request)
    started: list[OzonSandbox] = []

    def make(products: int = DEFAULT_PRODUCTS, **options: Any) -> OzonSandbox:
        sandbox = OzonSandbox(products=products, **options).start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def ozon_sandbox(request: pytest.FixtureRequest, make_sandbox: Callable[..., OzonSandbox]) -> OzonSandbox:
    """A started sandbox. Parametrize indirectly with an int (products) or a dict of options."""
    param = getattr(request, "param", None)
    options: dict[str, Any] = {"products": param} if isinstance(param, int) else dict(param or {})
    return make_sandbox(**options)


@pytest.fixture
def sandbox_account(ozon_sandbox: OzonSandbox, settings: Any, db: None) -> OzonSandbox:
    """The app configured for the sandbox: OZON_API_URL and the first account's credentials."""
    from tests.factories import account_default

    settings.OZON_API_URL = ozon_sandbox.url
    account = account_default()
    account.client_id, account.api_key = ozon_sandbox.client_id, ozon_sandbox.api_key
    account.save()
    return ozon_sandbox


@pytest.fixture
def sandbox_clock() -> FakeClock:
    """A fake clock for `make_sandbox(clock=...)`: storefront lag, price budget, picture tasks and quota."""
    return FakeClock()

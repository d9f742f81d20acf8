"""The sandbox's own tests use the same fixtures as the e2e tests; `clock` is a fake sandbox clock."""

import pytest

from tests.e2e.conftest import FakeClock, make_sandbox, ozon_sandbox, sandbox_account, sandbox_clock  # noqa: F401


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

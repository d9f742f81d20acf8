"""The sandbox's own tests use the same fixtures as the e2e tests, plus a fake clock."""

import pytest

from tests.e2e.conftest import make_sandbox, ozon_sandbox, sandbox_account  # noqa: F401


class FakeClock:
    """A monotonic clock that moves only when told: `OzonSandbox(..., clock=FakeClock())`."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

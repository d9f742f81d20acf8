# The demo's tests run against the sandbox, like the e2e tests (tests/e2e/conftest.py).
from tests.e2e.conftest import make_sandbox, ozon_sandbox, sandbox_account, sandbox_clock  # noqa: F401

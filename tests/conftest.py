"""Shared fixtures. Tests never reach the network.

An autouse `responses` mock makes any unregistered outgoing `requests` call
fail. The e2e tests (tests/e2e) talk real HTTP to the local sandbox on
127.0.0.1 only: for them the mock lets loopback addresses through.
"""

import re
import shutil
import socket
import subprocess
import time

import pytest
import responses
import urllib3.util.connection
from django.utils import translation

from ozonprice.clients.ratelimit import budgets_reset
from tests.ozonprice.ssrf import FakeDns, Sockets

LOOPBACK = re.compile(r"^http://127\.0\.0\.1:\d+/")


@pytest.fixture(autouse=True)
def no_network(request):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        if request.node.get_closest_marker("e2e"):
            mock.add_passthru(LOOPBACK)
        yield mock


@pytest.fixture(autouse=True)
def fresh_rate_budgets():
    """Rate budgets are per process (ratelimit.py): one test's 429 pause must not slow the next."""
    budgets_reset()
    yield
    budgets_reset()


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway `redis-server` on a free loopback port (no persistence); skips without the binary."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - Debian's redis-server on loopback
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(autouse=True)
def outbound_private_allowed(settings):
    """The doubles listen on 127.0.0.1 and most tests need no DNS: the SSRF guard is off here.
    The SSRF tests turn it back on (tests/ozonprice/ssrf.py, `refuse_private`)."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def refuse_private(settings):
    """The production default: outbound calls to private addresses are refused."""
    settings.OUTBOUND_ALLOW_PRIVATE = False


@pytest.fixture
def dns(monkeypatch) -> FakeDns:
    """`socket.getaddrinfo` answering from a table (`dns.set(host, [addresses], ...)`)."""
    fake = FakeDns()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def sockets(monkeypatch) -> Sockets:
    """urllib3 opens no socket; `sockets.opened` lists where it would have connected."""
    fake = Sockets()
    monkeypatch.setattr(urllib3.util.connection, "create_connection", fake)
    return fake


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English. The product's default is Russian (LANGUAGE_CODE=ru):
    tests of the Russian UI ask for it (Accept-Language: ru, or LANGUAGE_CODE back to "ru")."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def ozon_credentials(db):
    """Configured Ozon credentials: the first account's (returned: its per-account settings are set on it)."""
    from tests.factories import DEFAULT_ACCOUNT, account_default

    account = account_default()
    account.client_id, account.api_key = DEFAULT_ACCOUNT["client_id"], DEFAULT_ACCOUNT["api_key"]
    account.save()
    return account


@pytest.fixture
def account(db):
    """The test install's first account, with credentials."""
    from tests.factories import account_default

    return account_default()


@pytest.fixture
def admin_client(db):
    """The admin console as its owner sees it: a new superuser asking for English (pytest-django's, with a language)."""
    from tests.factories import superuser_client

    return superuser_client()

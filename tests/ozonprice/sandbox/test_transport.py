"""The sandbox's HTTP plumbing: keep-alive connections, a stop that frees the port, loopback only."""

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.server import OzonSandbox
from tests.ozonprice.sandbox.test_server import (
    AUTH,
    LIST,
    post,
)

pytestmark = pytest.mark.e2e


def test_a_session_keeps_its_connection_alive(ozon_sandbox):
    with requests.Session() as session:
        for _ in range(5):
            assert post(ozon_sandbox, LIST, {"limit": 1}, session=session).status_code == 200
    assert ozon_sandbox.connections_opened == 1


def test_stop_frees_the_port_even_with_idle_keep_alive_connections():
    sandbox = OzonSandbox(products=3).start()
    session = requests.Session()
    assert post(sandbox, LIST, {"limit": 1}, session=session).status_code == 200
    url = sandbox.url
    sandbox.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url + LIST, json={}, headers=AUTH, timeout=2)
    session.close()


def test_only_loopback_binding_is_allowed():
    with pytest.raises(ValueError, match="127.0.0.1"):
        OzonSandbox(products=1, host="0.0.0.0")  # noqa: S104 - the point of the test

"""The sandbox's fault injection: a reproducible failure rate, queued error answers before normal ones."""

import pytest

from tests.ozonprice.sandbox.test_server import (
    INFO,
    LIST,
    PRICES,
    post,
)

pytestmark = pytest.mark.e2e


def test_fail_rate_answers_429_and_500_reproducibly(make_sandbox):
    def statuses(sandbox):
        return [post(sandbox, LIST, {"limit": 1}) for _ in range(60)]

    first = statuses(make_sandbox(products=5, fail_rate=0.5, seed=4))
    second = statuses(make_sandbox(products=5, fail_rate=0.5, seed=4))
    assert [a.status_code for a in first] == [a.status_code for a in second]
    by_status = {a.status_code: a for a in first}
    assert set(by_status) == {200, 429, 500}
    assert by_status[429].json() == {
        "code": 8,
        "message": "You have reached request rate limit per second",
        "details": [],
    }
    assert by_status[429].headers["Retry-After"] == "1"
    assert by_status[500].json() == {"code": 13, "message": "Internal error", "details": []}


def test_injected_failures_come_first_then_normal_answers(ozon_sandbox):
    ozon_sandbox.fail_next(PRICES, count=2, status=503, headers={"X-Why": "drill"})
    ozon_sandbox.fail_next(INFO, status=429)
    body = {"filter": {"visibility": "ALL"}, "limit": 1}
    first, second, third = (post(ozon_sandbox, PRICES, body) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["X-Why"] == "drill" and first.json()["code"] == 13
    limited = post(ozon_sandbox, INFO, {"product_id": [1]})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1" and limited.json()["code"] == 8
    assert post(ozon_sandbox, LIST, {"limit": 1}).status_code == 200  # other paths unaffected
    assert ozon_sandbox.calls[PRICES] == 3 and ozon_sandbox.calls[INFO] == 1

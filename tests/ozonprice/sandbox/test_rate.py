"""The sandbox's model of Ozon's rate limit: requests a second per Client-Id, 429 beyond, counts kept."""

import json

import pytest

from ozonprice.sandbox.rate import RateModel
from ozonprice.sandbox.server import OzonSandbox
from tests.ozonprice.sandbox.test_server import AUTH, LIST, post

RATE_LIMITED = {"code": 8, "message": "You have reached request rate limit per second", "details": []}


class Wall:
    def __init__(self):
        self.now = 1_800_000_000.25

    def __call__(self):
        return self.now


def test_requests_are_counted_per_client_id_and_second():
    wall = Wall()
    model = RateModel(clock=wall)

    for _ in range(3):
        model.admit({"Client-Id": "a"})
    model.admit({"Client-Id": "b"})
    wall.now += 1
    model.admit({"Client-Id": "a"})

    assert model.per_second("a") == {1_800_000_000: 3, 1_800_000_001: 1}
    assert (model.peak("a"), model.peak("b"), model.peak("c")) == (3, 1, 0)


def test_without_a_limit_nothing_is_refused_and_no_header_is_sent():
    model = RateModel(clock=Wall())

    assert [model.admit({"Client-Id": "a"}) for _ in range(100)][-1] == (None, {})


def test_requests_without_a_client_id_are_neither_counted_nor_limited():
    model = RateModel(limit=1, clock=Wall())

    assert model.admit({}) == (None, {}) and model.admit({}) == (None, {})
    assert model.per_second("") == {}


def test_beyond_the_limit_ozon_answers_429_with_retry_after_until_the_next_second():
    wall = Wall()
    model = RateModel(limit=2, clock=wall)

    answers = [model.admit({"Client-Id": "a"}) for _ in range(3)]

    assert [headers for _, headers in answers[:2]] == [{"Ratelimit-Remaining": "1"}, {"Ratelimit-Remaining": "0"}]
    refused = answers[2][0]
    assert refused.status == 429 and refused.headers == {"Retry-After": "1", "Ratelimit-Remaining": "0"}
    # Ozon's error body (OpenAPI `rpcStatus`: code int32, message, details).
    assert json.loads(refused.body) == {
        "code": 8,
        "message": "You have reached request rate limit per second",
        "details": [],
    }
    assert model.admit({"Client-Id": "b"}) == (None, {"Ratelimit-Remaining": "1"})  # its own limit
    wall.now += 1
    assert model.admit({"Client-Id": "a"}) == (None, {"Ratelimit-Remaining": "1"})


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError, match="rate_limit"):
        OzonSandbox(products=1, rate_limit=-1)


@pytest.mark.e2e
def test_the_sandbox_answers_like_ozon_over_its_rate(make_sandbox):
    sandbox = make_sandbox(products=5, rate_limit=2)
    sandbox.rate.clock = Wall()  # every request in one second

    first, second, third = (post(sandbox, LIST, {"limit": 1}) for _ in range(3))

    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)
    assert [first.headers["Ratelimit-Remaining"], second.headers["Ratelimit-Remaining"]] == ["1", "0"]
    assert third.json() == RATE_LIMITED and third.headers["Retry-After"] == "1"
    assert sandbox.rate.peak(AUTH["Client-Id"]) == 3
    assert sandbox.calls[LIST] == 3


@pytest.mark.e2e
def test_by_default_the_sandbox_counts_but_never_limits(ozon_sandbox):
    ozon_sandbox.rate.clock = Wall()

    answers = [post(ozon_sandbox, LIST, {"limit": 1}) for _ in range(60)]

    assert {a.status_code for a in answers} == {200}
    assert "Ratelimit-Remaining" not in answers[0].headers
    assert ozon_sandbox.rate.peak(AUTH["Client-Id"]) == 60

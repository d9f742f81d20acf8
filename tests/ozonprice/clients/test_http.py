"""The HTTP seam: retries where repeating is safe, timeouts, no redirects, rate limit.

Every call goes through an `OzonClient`'s seam with an injected `sleep` that
records the delays instead of waiting.
"""

import json
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - tests drive the seam with requests' own exceptions
import responses

from ozonprice.clients.http import ApiError, HttpSeam, RateLimited, RetryPolicy, parse_retry_after
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ratelimit import LocalState, RateBudget
from tests.fakes.clock import FakeClock
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"
LIST_PATH = "/v3/product/list"
LIST_URL = BASE + LIST_PATH
IMPORT_PATH = "/v1/product/import/prices"
IMPORT_URL = BASE + IMPORT_PATH
LIST_BODY = {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 1000}
IMPORT_BODY = {"prices": [{"offer_id": "ART-0001", "price": "1290.00", "old_price": "1590.00"}]}
IMPORTED = {"result": [{"product_id": 243686911, "offer_id": "ART-0001", "updated": True, "errors": []}]}


@pytest.fixture
def sleeps():
    return []


def make_client(sleeps, **kwargs):
    return OzonClient(
        base_url=BASE, client_id="123456", api_key="secret-key-xyz", rate_limit=0, sleep=sleeps.append, **kwargs
    )


@pytest.fixture
def client(sleeps):
    client = make_client(sleeps)
    yield client
    client.close()


def read(client):
    return client.http.post(LIST_PATH, LIST_BODY, idempotent=True)


def write(client):
    return client.http.post(IMPORT_PATH, IMPORT_BODY, idempotent=False)


def add_error(mock, url, status, fixture=None, headers=None):
    body = load_fixture(fixture) if fixture else {"code": 13, "message": "Internal error", "details": []}
    mock.add(responses.POST, url, json=body, status=status, headers=headers or {})


# --- reads are retried ----------------------------------------------------------
def test_a_read_retries_through_429_and_503_and_then_succeeds(no_network, client, sleeps):
    add_error(no_network, LIST_URL, 429, "error_429_rate_limit")
    add_error(no_network, LIST_URL, 503)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    response = read(client)

    assert response.status == 200
    assert response.data["result"]["items"][0]["offer_id"] == "ART-0005"
    assert len(no_network.calls) == 3
    assert len(sleeps) == 2
    assert client.calls == {LIST_PATH: 3}


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_a_read_retries_each_transient_status(no_network, client, sleeps, status):
    add_error(no_network, LIST_URL, status)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    assert read(client).status == 200
    assert len(no_network.calls) == 2
    assert len(sleeps) == 1


def test_a_429_is_a_rate_limited_error_with_its_retry_after_and_other_statuses_are_not(no_network, sleeps):
    client = make_client(sleeps, retry=RetryPolicy(max_retries=0))
    add_error(no_network, LIST_URL, 429, "error_429_rate_limit", headers={"Retry-After": "7"})
    add_error(no_network, LIST_URL, 503)

    with pytest.raises(RateLimited) as limited:
        read(client)
    with pytest.raises(ApiError) as failed:
        read(client)

    assert limited.value.retry_after == 7.0 and not limited.value.permanent
    assert not isinstance(failed.value, RateLimited)


def test_it_waits_exactly_the_seconds_retry_after_asks_for(no_network, client, sleeps):
    add_error(no_network, LIST_URL, 429, "error_429_rate_limit", headers={"Retry-After": "7"})
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    read(client)

    assert sleeps == [7.0]


def test_it_caps_retry_after_at_retry_after_max(no_network, sleeps):
    client = make_client(sleeps, retry=RetryPolicy(retry_after_max=5.0))
    add_error(no_network, LIST_URL, 429, "error_429_resource_exhausted", headers={"Retry-After": "3600"})
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    read(client)

    assert sleeps == [5.0]


def test_without_retry_after_the_backoff_doubles(no_network, sleeps):
    client = make_client(sleeps, retry=RetryPolicy(max_retries=4, backoff_base=0.5, jitter=0))
    for _ in range(4):
        add_error(no_network, LIST_URL, 500)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    read(client)

    assert sleeps == [0.5, 1.0, 2.0, 4.0]


def test_with_jitter_the_backoff_still_grows_and_stays_under_its_cap(no_network, sleeps):
    client = make_client(sleeps, retry=RetryPolicy(max_retries=6, backoff_base=0.5, backoff_max=4.0, jitter=0.5))
    for _ in range(6):
        add_error(no_network, LIST_URL, 502)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    read(client)

    assert sleeps[:4] == sorted(sleeps[:4]) and len(set(sleeps[:4])) == 4
    assert all(delay <= 4.0 * 1.5 for delay in sleeps)


def test_exhausted_retries_raise_a_transient_error_with_the_status(no_network, sleeps):
    client = make_client(sleeps, retry=RetryPolicy(max_retries=2))
    for _ in range(3):
        add_error(no_network, LIST_URL, 503)

    with pytest.raises(ApiError) as caught:
        read(client)

    assert caught.value.permanent is False
    assert caught.value.status == 503
    assert caught.value.endpoint == LIST_PATH
    assert len(no_network.calls) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, load_fixture("error_400_invalid_argument")),
        (403, load_fixture("error_403_missing_role")),
        (404, {"code": 5, "message": "not found", "details": []}),
        (409, {"code": 10, "message": "request conflict", "details": []}),
    ],
)
def test_a_client_error_is_never_retried_and_is_permanent(no_network, client, sleeps, status, body):
    no_network.add(responses.POST, LIST_URL, json=body, status=status)

    with pytest.raises(ApiError) as caught:
        read(client)

    assert caught.value.permanent is True
    assert caught.value.status == status
    assert body["message"] in str(caught.value)
    assert len(no_network.calls) == 1
    assert sleeps == []


def test_a_connection_error_on_a_read_is_retried(no_network, client, sleeps):
    no_network.add(responses.POST, LIST_URL, body=requests.ConnectionError("[Errno 111] Connection refused"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    assert read(client).status == 200
    assert len(no_network.calls) == 2


def test_a_read_timeout_on_a_read_is_retried(no_network, client, sleeps):
    no_network.add(responses.POST, LIST_URL, body=requests.ReadTimeout("read timed out"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    assert read(client).status == 200
    assert len(no_network.calls) == 2


# --- writes are repeated only when they certainly did not run -------------------
def test_a_write_is_not_resent_after_a_500(no_network, client, sleeps):
    add_error(no_network, IMPORT_URL, 500, "error_500_internal")
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)

    with pytest.raises(ApiError) as caught:
        write(client)

    assert caught.value.status == 500
    assert caught.value.permanent is False
    assert len(no_network.calls) == 1
    assert sleeps == []


def test_a_write_is_not_resent_after_a_read_timeout_and_its_outcome_is_unknown(no_network, client, sleeps):
    no_network.add(responses.POST, IMPORT_URL, body=requests.ReadTimeout("read timed out"))
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)

    with pytest.raises(ApiError) as caught:
        write(client)

    assert caught.value.outcome_unknown is True
    assert caught.value.permanent is False
    assert caught.value.status is None
    assert len(no_network.calls) == 1


def test_a_write_is_not_resent_when_the_connection_dropped_after_sending(no_network, client, sleeps):
    dropped = requests.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed connection'))")
    no_network.add(responses.POST, IMPORT_URL, body=dropped)
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)

    with pytest.raises(ApiError) as caught:
        write(client)

    assert caught.value.outcome_unknown is True
    assert len(no_network.calls) == 1


def test_a_write_is_resent_after_a_429(no_network, client, sleeps):
    add_error(no_network, IMPORT_URL, 429, "error_429_resource_exhausted", headers={"Retry-After": "2"})
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)

    assert write(client).data == IMPORTED
    assert len(no_network.calls) == 2
    assert sleeps == [2.0]


def test_a_write_is_resent_after_a_connect_timeout(no_network, client, sleeps):
    no_network.add(responses.POST, IMPORT_URL, body=requests.ConnectTimeout("connect timed out"))
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)

    assert write(client).data == IMPORTED
    assert len(no_network.calls) == 2
    assert json.loads(no_network.calls[1].request.body) == IMPORT_BODY


# --- what every call carries ---------------------------------------------------
def test_every_call_has_a_connect_and_read_timeout_and_never_follows_redirects(no_network, sleeps, monkeypatch):
    seen = []
    original = requests.Session.request

    def recording(self, method, url, **kwargs):
        seen.append(kwargs)
        return original(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", recording)
    client = make_client(sleeps, timeout=(3.05, 30.0))
    add_error(no_network, LIST_URL, 503)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))
    no_network.add(responses.POST, IMPORT_URL, json=IMPORTED)
    no_network.add(responses.GET, BASE + "/v1/ping", json={})

    read(client)
    write(client)
    client.http.get("/v1/ping")

    assert len(seen) == 4
    assert all(kwargs["timeout"] == (3.05, 30.0) for kwargs in seen)
    assert all(kwargs["allow_redirects"] is False for kwargs in seen)


def test_every_call_sends_the_credentials_as_ozon_headers(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    read(client)

    headers = no_network.calls[0].request.headers
    assert headers["Client-Id"] == "123456"
    assert headers["Api-Key"] == "secret-key-xyz"
    assert headers["Content-Type"] == "application/json"


def test_a_redirect_is_not_followed_and_is_a_permanent_error(no_network, client, sleeps):
    elsewhere = "https://collector.example/steal"
    no_network.add(responses.POST, LIST_URL, status=302, headers={"Location": elsewhere})
    no_network.add(responses.POST, elsewhere, json=load_fixture("product_list_page3"))
    no_network.add(responses.GET, elsewhere, json=load_fixture("product_list_page3"))

    with pytest.raises(ApiError) as caught:
        read(client)

    assert caught.value.permanent is True
    assert caught.value.status == 302
    assert [call.request.url for call in no_network.calls] == [LIST_URL]


def test_json_numbers_with_a_fraction_are_read_as_decimals(no_network, client):
    no_network.add(responses.POST, LIST_URL, body='{"price": 1290.55, "count": 3}', content_type="application/json")

    data = read(client).data

    assert data == {"price": Decimal("1290.55"), "count": 3}
    assert type(data["price"]) is Decimal


def test_a_200_that_is_not_json_is_a_permanent_error(no_network, client, sleeps):
    no_network.add(responses.POST, LIST_URL, body="<html><body>Service temporarily unavailable</body></html>")

    with pytest.raises(ApiError) as caught:
        read(client)

    assert caught.value.permanent is True
    assert caught.value.status == 200
    assert len(no_network.calls) == 1


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (" 1.5 ", 1.5),
        ("0", 0.0),
        ("", None),
        (None, None),
        ("-1", None),
        ("soon", None),
        ("Wed, 21 Oct 2026 07:28:00 GMT", None),
    ],
)
def test_retry_after_is_read_as_seconds(header, seconds):
    assert parse_retry_after(header) == seconds


# --- the rate limiter ------------------------------------------------------------


def test_the_seam_takes_a_token_for_every_attempt_retries_included(no_network, sleeps):
    clock = FakeClock()
    budget = RateBudget(LocalState(clock), 2, sleep=clock.sleep)
    seam = HttpSeam(service="ozon", base_url=BASE, budget=budget, sleep=sleeps.append)
    add_error(no_network, LIST_URL, 500)
    add_error(no_network, LIST_URL, 500)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    seam.post(LIST_PATH, LIST_BODY, idempotent=True)

    assert len(no_network.calls) == 3
    assert sum(clock.slept) == pytest.approx(1.0)


# --- error text: secrets scrubbed, readable text kept ---------------------------------------------
def test_a_very_short_key_does_not_mangle_the_error_text(no_network, sleeps):
    client = OzonClient(base_url=BASE, client_id="123456", api_key="Ke", rate_limit=0, sleep=sleeps.append)
    no_network.add(responses.POST, LIST_URL, json={"code": 16, "message": "Invalid Api-Key", "details": []}, status=401)

    with pytest.raises(ApiError) as caught:
        read(client)

    assert "Invalid Api-Key" in str(caught.value) and "***" not in str(caught.value)


def test_a_real_key_is_scrubbed_even_glued_to_other_text(no_network, client):
    no_network.add(
        responses.POST,
        LIST_URL,
        status=401,
        json={"code": 16, "message": "bad key secret-key-xyz; was:secret-key-xyz/", "details": []},
    )

    with pytest.raises(ApiError) as caught:
        read(client)

    assert "secret-key-xyz" not in str(caught.value) and "bad key ***; was:***/" in str(caught.value)

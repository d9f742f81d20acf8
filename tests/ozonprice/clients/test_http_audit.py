"""The seam's audit trail: one `ApiLogEntry` per HTTP attempt, credentials in none of it."""

import json

import pytest
import requests  # noqa: TID251 - tests drive the seam with requests' own exceptions
import responses
from django.db import models

from auditlog.models import ApiLogEntry
from ozonprice.clients.http import ApiError, HttpSeam, RetryPolicy
from ozonprice.clients.ozon import OzonClient
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"
CLIENT_ID = "123456"
API_KEY = "secret-key-xyz"
LIST_PATH = "/v3/product/list"
LIST_URL = BASE + LIST_PATH
INFO_URL = BASE + "/v3/product/info/list"
IMPORT_PATH = "/v1/product/import/prices"
IMPORT_URL = BASE + IMPORT_PATH


@pytest.fixture
def client():
    client = OzonClient(base_url=BASE, client_id=CLIENT_ID, api_key=API_KEY, rate_limit=0, sleep=lambda _: None)
    yield client
    client.close()


def rows():
    return list(ApiLogEntry.objects.order_by("id"))


def text_columns(row):
    """Every character column of a log row, by name."""
    return {
        f.name: getattr(row, f.attname)
        for f in ApiLogEntry._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
    }


def assert_no_credentials_in_the_log():
    found = [
        (row.pk, name)
        for row in ApiLogEntry.objects.all()
        for name, value in text_columns(row).items()
        if API_KEY in value or CLIENT_ID in value
    ]
    assert found == []


def test_each_attempt_writes_one_log_row_retries_included(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("error_429_rate_limit"), status=429)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("error_500_internal"), status=503)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    pages = list(client.product_list_pages(limit=2))

    assert len(pages) == 1
    logged = rows()
    assert [(r.status_code, r.success) for r in logged] == [(429, False), (503, False), (200, True)]
    for row in logged:
        assert (row.service, row.direction, row.method, row.endpoint) == ("ozon", "out", "POST", LIST_PATH)
        assert row.response_time is not None and row.response_time >= 0
    assert [r.products_count for r in logged] == [None, None, 1]
    assert "You have reached request rate limit per second" in logged[0].error_message
    assert logged[2].error_message == ""
    assert json.loads(logged[2].request_payload) == {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 2}
    assert json.loads(logged[2].response_payload)["result"]["items"][0]["offer_id"] == "ART-0005"


def test_a_call_that_fails_every_attempt_logs_every_attempt_as_failed(no_network):
    client = OzonClient(
        base_url=BASE,
        client_id=CLIENT_ID,
        api_key=API_KEY,
        rate_limit=0,
        retry=RetryPolicy(max_retries=2),
        sleep=lambda _: None,
    )
    for _ in range(3):
        no_network.add(responses.POST, LIST_URL, json=load_fixture("error_500_internal"), status=500)

    with pytest.raises(ApiError):
        list(client.product_list_pages())

    assert [(r.status_code, r.success) for r in rows()] == [(500, False)] * 3


def test_a_transport_failure_is_logged_without_a_status(no_network, client):
    no_network.add(responses.POST, IMPORT_URL, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(ApiError):
        client.http.post(IMPORT_PATH, {"prices": []}, idempotent=False)

    [row] = rows()
    assert row.status_code is None
    assert row.success is False
    assert row.endpoint == IMPORT_PATH
    assert "did not answer" in row.error_message


def test_the_products_count_of_an_info_call_is_the_ids_asked_for(no_network, client):
    no_network.add(responses.POST, INFO_URL, json=load_fixture("product_info_list"))

    client.product_info_list(product_ids=[243686911, 243686912])

    [row] = rows()
    assert row.products_count == 2
    assert row.success is True


def test_a_seam_with_logging_off_writes_no_rows(no_network):
    seam = HttpSeam(service="ozon", base_url=BASE, log_calls=False)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    seam.post(LIST_PATH, {}, idempotent=True)

    assert rows() == []


def test_the_credentials_appear_in_no_column_of_any_log_row(no_network, client, settings):
    settings.AUDIT_PAYLOAD_MAX_CHARS = 300
    page = load_fixture("product_list_page3")
    # Ozon echoing the credentials back, in every way a body or header can.
    echoing = dict(page, echo={"Api-Key": API_KEY, "Client-Id": CLIENT_ID, "note": f"key {API_KEY} of {CLIENT_ID}"})
    huge = dict(page, note=f"key {API_KEY} of {CLIENT_ID}", padding="x" * 2000)
    forbidden = {"code": 7, "message": f"Api-Key {API_KEY} of {CLIENT_ID} is missing a required role for a method"}
    no_network.add(responses.POST, LIST_URL, json=echoing)
    no_network.add(responses.POST, LIST_URL, json=huge)
    no_network.add(responses.POST, LIST_URL, json=forbidden, status=403)
    no_network.add(responses.POST, LIST_URL, body=f"<html>{API_KEY} {CLIENT_ID}</html>", status=500)
    no_network.add(responses.POST, LIST_URL, json=page)
    no_network.add(responses.POST, LIST_URL, status=302, headers={"Location": f"https://x.example/?k={API_KEY}"})
    no_network.add(responses.POST, LIST_URL, body=requests.ReadTimeout(f"timed out sending {API_KEY}"))
    no_network.add(responses.POST, LIST_URL, json=page)
    no_network.add(responses.POST, LIST_URL, body=f"not json {API_KEY} {CLIENT_ID}")

    body = {"filter": {"visibility": "ALL"}, "api_key": API_KEY, "note": f"sent by {CLIENT_ID}"}
    client.http.post(LIST_PATH, body, idempotent=True)
    client.http.post(LIST_PATH, body, idempotent=True)
    with pytest.raises(ApiError) as forbidden_error:
        client.http.post(LIST_PATH, body, idempotent=True)
    client.http.post(LIST_PATH, body, idempotent=True)  # 500, then 200
    with pytest.raises(ApiError) as redirect_error:
        client.http.post(LIST_PATH, body, idempotent=True)
    client.http.post(LIST_PATH, body, idempotent=True)  # timeout, then 200
    with pytest.raises(ApiError) as not_json_error:
        client.http.post(LIST_PATH, body, idempotent=True)

    assert ApiLogEntry.objects.count() == 9
    assert_no_credentials_in_the_log()
    for error in (forbidden_error.value, redirect_error.value, not_json_error.value):
        assert API_KEY not in str(error) and CLIENT_ID not in str(error)
    assert "is missing a required role" in str(forbidden_error.value)


def test_secret_like_keys_in_a_request_body_are_masked_in_the_log(no_network, client):
    no_network.add(responses.POST, IMPORT_URL, json={"result": []})
    payload = {"prices": [{"offer_id": "ART-0001", "price": "1290.00", "token": "t-1"}], "password": "p-1"}

    client.http.post(IMPORT_PATH, payload, idempotent=False)

    [row] = rows()
    logged = json.loads(row.request_payload)
    assert logged == {"prices": [{"offer_id": "ART-0001", "price": "1290.00", "token": "***"}], "password": "***"}


def test_a_call_of_an_accounts_client_is_logged_under_that_account(no_network, settings):
    from tests.factories import AccountFactory

    settings.OZON_API_URL = BASE
    first, second = AccountFactory(), AccountFactory()
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    for account in (second, first):
        client = OzonClient.of(account, rate_limit=0)
        list(client.product_list_pages(limit=2))
        client.close()

    assert [row.account_id for row in rows()] == [second.pk, first.pk]


def test_a_client_of_no_account_logs_rows_of_none(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    list(client.product_list_pages(limit=2))

    assert [row.account_id for row in rows()] == [None]

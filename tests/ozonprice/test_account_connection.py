"""The account page's connection test: one read of the account's catalogue, with its own credentials, one try."""

import json

import pytest
import responses

from auditlog.models import ApiLogEntry
from ozonprice.account_connection import account_connection_check
from tests.factories import AccountFactory
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

LIST_URL = "https://api-seller.ozon.ru/v3/product/list"


def test_accepted_credentials_read_one_product_with_the_accounts_own_headers(no_network):
    account = AccountFactory(client_id="777001", api_key="key-of-account-two-0123456789")
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_empty"))

    check = account_connection_check(account=account)

    assert check.ok and "accepted" in check.message
    (call,) = no_network.calls
    assert call.request.headers["Client-Id"] == "777001"
    assert call.request.headers["Api-Key"] == "key-of-account-two-0123456789"
    assert json.loads(call.request.body)["limit"] == 1
    audit = ApiLogEntry.objects.get(service="ozon", endpoint="/v3/product/list")
    assert account.api_key not in audit.request_payload


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_say_so_without_a_retry(no_network, status):
    account = AccountFactory()
    no_network.add(responses.POST, LIST_URL, status=status, json={"code": 7, "message": "denied", "details": []})

    check = account_connection_check(account=account)

    assert not check.ok and f"refused the Client-Id and Api-Key (HTTP {status})" in check.message
    assert len(no_network.calls) == 1


def test_a_server_error_is_reported_after_one_try(no_network):
    account = AccountFactory()
    no_network.add(responses.POST, LIST_URL, status=503, json={"code": 14, "message": "unavailable", "details": []})

    check = account_connection_check(account=account)

    assert not check.ok and "did not answer as expected" in check.message
    assert len(no_network.calls) == 1


def test_an_account_without_a_key_calls_nothing(no_network):
    account = AccountFactory(api_key="")

    check = account_connection_check(account=account)

    assert not check.ok and "Api-Key first" in check.message
    assert not no_network.calls

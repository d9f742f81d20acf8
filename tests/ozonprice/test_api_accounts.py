"""request_account: the account an API request works on, and the lists filtered by it (SPEC §11)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ozonprice.auth import ApiClient
from ozonprice.models import ApiKey
from ozonprice.services import api_secret_generate
from pricing.models import PriceHistory
from tests.factories import AccountFactory, ApiLogEntryFactory, SkuFactory, account_default

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    return account_default(), AccountFactory(name="Brand LLC", client_id="777001")


def key_client(*accounts, all_accounts=False) -> APIClient:
    """A caller authenticated with a named key limited to `accounts` (as part K's keys authenticate)."""
    key = ApiKey.objects.create(name=f"key {ApiKey.objects.count()}", secret_hash="-", all_accounts=all_accounts)
    key.accounts.set(accounts)
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user=ApiClient(), token=key)
    return client


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def product_ids(response) -> set[int]:
    return {int(item["product_id"]) for item in response.json()["items"]}


def test_products_of_the_named_account_only_by_id_name_or_client_id(api, two):
    a, b = two
    SkuFactory(account=a, product_id=1, offer_id="SAME")
    SkuFactory(account=b, product_id=2, offer_id="SAME")

    for reference in (b.pk, b.name, b.client_id):
        response = api.get("/api/products", {"account": reference})
        assert response.status_code == 200, response.json()
        assert product_ids(response) == {2}
        assert response.json()["items"][0]["account"] == b.pk


def test_with_one_account_no_parameter_works_as_before(api):
    sku = SkuFactory()

    body = api.get("/api/products").json()

    assert [item["id"] for item in body["items"]] == [sku.pk]
    assert body["items"][0]["account"] == sku.account_id


@pytest.mark.parametrize("url", ["/api/products", "/api/price-history", "/api/api-logs"])
def test_with_two_accounts_a_caller_of_both_must_name_one(api, two, url):
    response = api.get(url)

    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid query parameters."
    assert response.json()["errors"]["account"] == ["Several accounts: name one (its id, name or Client-Id)."]


def test_an_unknown_account_is_a_400_naming_it(api, two):
    response = api.get("/api/products", {"account": "Nobody"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"account": ["No account Nobody."]}


def test_a_key_of_one_account_uses_it_without_naming_it(two):
    a, b = two
    SkuFactory(account=a, product_id=1)
    SkuFactory(account=b, product_id=2)

    response = key_client(b).get("/api/products")

    assert response.status_code == 200
    assert product_ids(response) == {2}


@pytest.mark.parametrize("url", ["/api/products", "/api/price-history", "/api/api-logs"])
def test_a_key_of_account_a_naming_b_is_refused_403(two, url):
    a, b = two

    response = key_client(a).get(url, {"account": b.pk})

    assert response.status_code == 403
    assert "may not use the account Brand LLC" in response.json()["detail"]


def test_a_key_of_every_account_must_name_one_when_there_are_several(two):
    assert key_client(all_accounts=True).get("/api/products").status_code == 400


def test_a_key_of_no_account_is_refused(two):
    assert key_client().get("/api/products").status_code == 403


def test_price_history_of_the_named_account_only(api, two):
    a, b = two
    for account, product_id in ((a, 1), (b, 2)):
        PriceHistory.objects.create(
            sku=SkuFactory(account=account, product_id=product_id),
            timestamp=timezone.now(),
            price_before=Decimal("900"),
            new_price=Decimal("1000"),
            showcase_price=Decimal("950"),
        )

    items = api.get("/api/price-history", {"account": a.name}).json()["items"]

    assert [(item["product_id"], item["account"]) for item in items] == [("1", a.pk)]


def test_api_logs_of_the_named_account_and_rows_of_none_for_a_caller_of_every_account(api, two):
    a, b = two
    mine = ApiLogEntryFactory(account=a, timestamp=timezone.now() - timedelta(minutes=2))
    ApiLogEntryFactory(account=b)
    nobodys = ApiLogEntryFactory(
        account=None, api_key_name="ImageStudio", timestamp=timezone.now() - timedelta(minutes=1)
    )

    items = api.get("/api/api-logs", {"account": a.pk}).json()["items"]
    ids = [item["id"] for item in items if item["endpoint"] != "/api/api-logs"]

    assert set(ids) == {mine.pk, nobodys.pk}
    row = next(item for item in items if item["id"] == nobodys.pk)
    assert (row["account"], row["api_key"]) == (None, "ImageStudio")


def test_a_key_of_one_account_sees_only_its_log_rows(two):
    a, b = two
    mine = ApiLogEntryFactory(account=a)
    ApiLogEntryFactory(account=None)
    ApiLogEntryFactory(account=b)

    items = key_client(a).get("/api/api-logs").json()["items"]

    assert [item["id"] for item in items] == [mine.pk]


def test_a_new_install_without_accounts_still_lists_its_log(api):
    row = ApiLogEntryFactory(account=None)

    assert [item["id"] for item in api.get("/api/api-logs").json()["items"]] == [row.pk]


def test_the_schema_documents_the_account_parameter(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for path in ("/api/products", "/api/price-history", "/api/api-logs", "/api/products/fetch"):
        assert "account" in {p["name"] for p in schema["paths"][path]["get"]["parameters"]}, path

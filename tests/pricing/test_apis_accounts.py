"""The pricing actions work on the account the request names, and only on it (SPEC §11)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Sku
from catalog.services.showcase import FetchResult
from catalog.services.sync import SyncResult
from ozonprice.keys import api_key_create
from ozonprice.models import ApiScope
from ozonprice.services import api_secret_generate
from pricing.services.guard import GuardResult
from tests.factories import AccountFactory, SkuFactory, account_default

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two():
    return account_default(), AccountFactory(name="Brand LLC", client_id="777001")


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def key_client(account) -> APIClient:
    """A caller presenting a named key limited to `account`, with the scopes the pricing actions need."""
    _key, secret = api_key_create(name="prices of A", scopes=[ApiScope.READ, ApiScope.PRICES], accounts=[account])
    return APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})


def test_set_mrpc_touches_only_the_named_accounts_sku_of_that_article(api, two):
    a, b = two
    mine = SkuFactory(account=a, product_id=1, offer_id="SAME", sku=5)
    theirs = SkuFactory(account=b, product_id=2, offer_id="SAME", sku=5)

    body = api.post(
        "/api/products/set-mrpc", {"account": b.name, "items": [{"sku": "SAME", "mrpc": "1500"}]}, format="json"
    ).json()

    assert (body["status"], body["account"]) == ("success", b.pk)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.mrpc, theirs.mrpc) == (None, D("1500"))


def test_set_discount_touches_only_the_named_account(api, two):
    a, b = two
    mine = SkuFactory(account=a, product_id=1, sku=5, mrpc=D("1000"))
    theirs = SkuFactory(account=b, product_id=2, sku=5, mrpc=D("1000"))

    response = api.post(
        "/api/products/set-discount", {"account": a.pk, "items": [{"sku": "5", "discount": "10"}]}, format="json"
    )

    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.discount, theirs.discount) == (D("10"), D("0"))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/products/{id}/activate", {}),
        ("post", "/api/products/{id}/deactivate", {}),
        ("put", "/api/products/{id}", {"mrpc": "1200"}),
    ],
)
def test_a_product_of_another_account_is_not_found(api, two, method, path, body):
    a, b = two
    sku = SkuFactory(account=a, product_id=31, mrpc=D("900"), front_price=D("1000"))

    other = getattr(api, method)(path.format(id=31), {**body, "account": b.pk}, format="json")
    own = getattr(api, method)(path.format(id=31), {**body, "account": a.pk}, format="json")

    assert other.status_code == 404
    assert (own.status_code, own.json()["account"]) == (200, a.pk)
    sku.refresh_from_db()


def test_the_same_product_id_in_two_accounts_is_activated_in_the_named_one_only(api, two):
    a, b = two
    mine = SkuFactory(account=a, product_id=31, mrpc=D("900"), front_price=D("1000"))
    theirs = SkuFactory(account=b, product_id=31, mrpc=D("900"), front_price=D("1000"))

    assert api.post("/api/products/31/activate", {"account": b.pk}, format="json").status_code == 200

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.active, theirs.active) == (False, True)


def test_activation_without_a_body_with_one_account_works_as_before(api):
    SkuFactory(product_id=31, mrpc=D("900"), front_price=D("1000"))

    response = api.post("/api/products/31/activate")

    assert response.status_code == 200
    assert Sku.objects.get(product_id=31).active


def test_update_prices_plans_only_the_named_accounts_skus(api, two):
    a, b = two
    for account, product_id in ((a, 1), (b, 2)):
        SkuFactory(
            account=account, product_id=product_id, active=True, mrpc=D("1100"), front_price=D("1000"), price=D("1000")
        )

    body = api.post("/api/products/update-prices", {"account": b.client_id, "dry_run": True}, format="json").json()

    assert body["account"] == b.pk
    assert {(row["product_id"], row["account"]) for row in body["plan"]} == {("2", b.pk)}


@pytest.mark.parametrize(
    ("path", "target", "result"),
    [
        ("/api/products/fetch-prices", "pricing.apis.showcase_prices_fetch", FetchResult()),
        ("/api/products/guard-promotions", "pricing.apis.promotions_guard", GuardResult(mode="report")),
    ],
)
def test_the_runs_get_the_named_account(api, two, monkeypatch, path, target, result):
    _a, b = two
    seen = []
    monkeypatch.setattr(target, lambda **kwargs: seen.append(kwargs["account"]) or result)

    response = api.post(path, {"account": b.name}, format="json")

    assert response.status_code == 200, response.json()
    assert (seen, response.json()["account"]) == ([b], b.pk)


def test_products_fetch_syncs_the_named_account(api, two, monkeypatch):
    _a, b = two
    seen = []
    monkeypatch.setattr("catalog.apis.sku_sync_all", lambda account: seen.append(account) or SyncResult())

    response = api.get("/api/products/fetch", {"account": b.pk})

    assert (response.status_code, seen, response.json()["account"]) == (200, [b], b.pk)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/products/set-mrpc", {"items": [{"sku": "5", "mrpc": "1500"}]}),
        ("/api/products/set-discount", {"items": [{"sku": "5", "discount": "10"}]}),
        ("/api/products/update-prices", {"dry_run": True}),
        ("/api/products/fetch-prices", {}),
        ("/api/products/guard-promotions", {"dry_run": True}),
        ("/api/products/31/activate", {}),
        ("/api/products/31/deactivate", {}),
    ],
)
def test_with_two_accounts_an_action_must_name_one(api, two, path, body):
    response = api.post(path, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"account": ["Several accounts: name one (its id, name or Client-Id)."]}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/products/set-mrpc", {"items": [{"sku": "5", "mrpc": "1500"}]}),
        ("post", "/api/products/update-prices", {"dry_run": True}),
        ("post", "/api/products/31/activate", {}),
        ("put", "/api/products/31", {"active": False}),
        ("get", "/api/products/fetch", None),
    ],
)
def test_a_key_of_account_a_naming_b_is_refused(two, method, path, body):
    a, b = two
    SkuFactory(account=a, product_id=31)
    client = key_client(a)

    if method == "get":
        response = client.get(path, {"account": b.pk})
    else:
        response = getattr(client, method)(path, {**body, "account": b.pk}, format="json")

    # Refused for the account (the key has the scopes), before anything is changed.
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "This API key may not use the account Brand LLC.",
    )
    assert Sku.objects.get(product_id=31).mrpc is None


def test_an_account_of_the_wrong_type_is_a_400_naming_it(api, two):
    response = api.post("/api/products/update-prices", {"account": ["x"]}, format="json")

    assert response.status_code == 400
    assert "account" in response.json()["errors"]

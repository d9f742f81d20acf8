"""push-images: credential.client_id selects the account; without one, the request's account (SPEC §11)."""

import pytest
from rest_framework.test import APIClient

from imagepush import apis
from imagepush.outcomes import PushOutcome
from imagepush.steps import pushes_record
from imagepush.validation import PushRequest
from ozonprice.keys import api_key_create
from ozonprice.services import api_secret_generate
from tests.factories import AccountFactory, SkuFactory, account_default

pytestmark = pytest.mark.django_db
URL = "/api/v1/ozon/push-images"
BODY = {"product_id": 31, "images": ["https://img.example.com/1.jpg"]}


@pytest.fixture
def two():
    return account_default(), AccountFactory(name="Brand LLC", client_id="777001")


@pytest.fixture
def submitted(monkeypatch):
    seen = []

    def submit(**kwargs):
        seen.append(kwargs)
        return PushOutcome(
            push=pushes_record(
                [PushRequest(product_id=31, images=("x",))], source="api", requested_by="t", account=kwargs["account"]
            )[0].push
        )

    monkeypatch.setattr(apis, "image_push_submit", submit)
    monkeypatch.setattr(apis, "push_response", lambda outcome: apis.Response({"success": True}))
    return seen


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def test_a_credential_selects_the_account_with_its_client_id(api, two, submitted):
    _a, b = two

    response = api.post(URL, {**BODY, "credential": {"client_id": b.client_id, "api_key": "k"}}, format="json")

    assert response.status_code == 200
    assert submitted[0]["account"] == b


def test_a_credential_of_no_account_pushes_with_no_account(api, two, submitted):
    response = api.post(URL, {**BODY, "credential": {"client_id": "999", "api_key": "k"}}, format="json")

    assert response.status_code == 200
    assert submitted[0]["account"] is None


def test_without_a_credential_the_named_account(api, two, submitted):
    _a, b = two

    assert api.post(URL, {**BODY, "account": b.name}, format="json").status_code == 200
    assert submitted[0]["account"] == b
    assert "account" not in submitted[0]["data"]


def test_without_a_credential_and_two_accounts_a_400_naming_account(api, two, submitted):
    response = api.post(URL, BODY, format="json")

    assert response.status_code == 400
    assert response.json()["success"] is False
    assert [problem["field"] for problem in response.json()["errors"]] == ["account"]
    assert submitted == []


def test_a_key_of_account_a_pushing_with_bs_credential_is_refused(two, submitted):
    a, b = two

    # A real key, presented as callers do: the images scope, account A only.
    _key, secret = api_key_create(name="studio A", scopes=["images"], accounts=[a])
    client = APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})

    response = client.post(URL, {**BODY, "credential": {"client_id": b.client_id, "api_key": "k"}}, format="json")

    assert response.status_code == 403
    assert response.json()["success"] is False
    assert submitted == []
    # The same key with its own account's credential is served: the refusal was the account's.
    own = client.post(URL, {**BODY, "credential": {"client_id": a.client_id, "api_key": "k"}}, format="json")
    assert own.status_code == 200 and submitted[0]["account"] == a


def test_the_push_is_recorded_for_the_account_with_that_accounts_sku(two):
    a, b = two
    SkuFactory(account=a, product_id=31, offer_id="A-31")

    (outcome,) = pushes_record([PushRequest(product_id=31, images=("x",))], source="api", requested_by="", account=b)

    assert (outcome.push.account, outcome.push.sku, outcome.push.offer_id) == (b, None, "")

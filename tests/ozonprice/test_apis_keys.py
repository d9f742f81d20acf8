"""/api/keys: list (never a hash or secret), create (the secret once, strict input), revoke."""

import pytest
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from ozonprice.keys import api_key_check, api_key_create
from ozonprice.models import ApiKey
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_key():
    return api_key_create(name="ops", scopes=["settings"], all_accounts=True)


@pytest.fixture
def api(admin_key):
    return APIClient(headers={"X-API-Key": admin_key[1], "Accept-Language": "en"})


def test_the_list_shows_each_key_without_its_hash_or_secret(api, admin_key):
    account = AccountFactory(name="Brand")
    _key, secret = api_key_create(name="ImageStudio", scopes=["images"], accounts=[account])

    response = api.get("/api/keys")

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    studio = next(item for item in body["items"] if item["name"] == "ImageStudio")
    assert studio["scopes"] == ["images"] and studio["accounts"] == [{"id": account.pk, "name": "Brand"}]
    assert studio["prefix"] == secret[:8]
    text = response.content.decode()
    assert secret not in text and admin_key[1] not in text and "sha256$" not in text


def test_create_returns_the_secret_once_and_it_works(api):
    account = AccountFactory(name="Brand")

    response = api.post(
        "/api/keys",
        {"name": "ImageStudio", "scopes": ["images"], "accounts": ["Brand"], "expires_at": "2999-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    key = api_key_check(body["secret"])
    assert key.name == body["key"]["name"] == "ImageStudio"
    assert list(key.accounts.all()) == [account] and key.created_by == "ops"
    # The audit row keeps the answer without the secret.
    assert not ApiLogEntry.objects.filter(response_payload__contains=body["secret"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scopes": ["admin"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "ops", "scopes": ["read"]}, "name"),
        ({"name": 5, "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": ["read"], "accounts": ["Nobody"]}, "accounts"),
        ({"name": "x", "scopes": ["read"], "all_accounts": "yes"}, "all_accounts"),
        ({"name": "x", "scopes": ["read"], "expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "scopes": ["read"], "secret": "mine"}, "secret"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    response = api.post("/api/keys", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not ApiKey.objects.filter(name="x").exists()


def test_revoke_stops_the_key_and_an_unknown_id_is_a_404(api):
    key, secret = api_key_create(name="ImageStudio", scopes=["images"])

    response = api.post(f"/api/keys/{key.pk}/revoke")

    assert response.status_code == 200 and response.json()["revoked_at"]
    assert api_key_check(secret) is None
    assert api.post("/api/keys/999999/revoke").status_code == 404

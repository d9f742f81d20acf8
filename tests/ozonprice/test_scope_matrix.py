"""The scope matrix: a key with each single scope (and one with all) × every API operation → allowed or 403.

Also: an expired key and a revoked key get 401 saying which while another
key keeps working, a key limited to one account is refused another (403),
one key's flood does not throttle another, and audit rows name the key.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient, APIRequestFactory

from auditlog.models import ApiLogEntry, Direction
from ozonprice.api_accounts import request_account, request_accounts
from ozonprice.auth import ApiKeyAuthentication
from ozonprice.keys import api_key_create, api_key_revoke
from ozonprice.models import ApiKey, ApiScope
from tests.factories import AccountFactory, account_default
from tests.ozonprice.test_permissions import ENDPOINTS, TARGET_KEY, world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# (method, url) -> the scope it needs; every operation of ENDPOINTS, which covers every API operation.
SCOPE = {
    ("get", "/api/products"): "read",
    ("get", "/api/products/fetch"): "prices",
    ("post", "/api/products/set-mrpc"): "prices",
    ("post", "/api/products/set-discount"): "prices",
    ("post", "/api/products/update-prices"): "prices",
    ("post", "/api/products/fetch-prices"): "prices",
    ("post", "/api/products/guard-promotions"): "prices",
    ("post", "/api/products/123456/activate"): "prices",
    ("post", "/api/products/123456/deactivate"): "prices",
    ("put", "/api/products/123456"): "prices",
    ("get", "/api/price-history"): "read",
    ("get", "/api/api-logs"): "read",
    ("get", "/api/settings"): "settings",
    ("put", "/api/settings"): "settings",
    ("post", "/api/settings/generate-secret"): "settings",
    ("get", "/api/keys"): "settings",
    ("post", "/api/keys"): "settings",
    ("post", f"/api/keys/{TARGET_KEY}/revoke"): "settings",
    ("post", "/api/v1/ozon/push-images"): "images",
}
KEYS = {scope: [scope] for scope in ApiScope.values} | {"every scope": list(ApiScope.values)}


def api(secret: str) -> APIClient:
    return APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})


def test_the_matrix_covers_every_api_operation():
    assert {(method, url) for method, url, *_rest in ENDPOINTS} == set(SCOPE)


@pytest.mark.parametrize("key_name", list(KEYS))
@pytest.mark.parametrize(
    ("method", "url", "body", "allowed_status"),
    [(m, u, b, s) for m, u, b, _perm, s in ENDPOINTS],
    ids=[f"{e[0].upper()} {e[1]}" for e in ENDPOINTS],
)
def test_a_key_may_call_what_its_scopes_allow(world, key_name, method, url, body, allowed_status):  # noqa: F811
    _key, secret = api_key_create(name=f"key {key_name}", scopes=KEYS[key_name], all_accounts=True)
    url_sent = url.replace(TARGET_KEY, str(ApiKey.objects.get(name="target").pk))

    response = getattr(api(secret), method)(url_sent, body, format="json")

    needed = SCOPE[(method, url)]
    if needed in KEYS[key_name]:
        assert response.status_code == allowed_status, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["detail"] == f"This API key lacks the scope {needed} this operation needs."


def test_an_expired_key_is_401_saying_so():
    key, secret = api_key_create(name="temp", scopes=["read"], expires_at=timezone.now() + timedelta(hours=1))
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = api(secret).get("/api/products")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API key expired on ")


def test_a_revoked_key_is_401_while_another_key_keeps_working():
    revoked, revoked_secret = api_key_create(name="old", scopes=["read"], all_accounts=True)
    _other, other_secret = api_key_create(name="other", scopes=["read"], all_accounts=True)
    assert api(revoked_secret).get("/api/products").status_code == 200

    api_key_revoke(key=revoked)

    response = api(revoked_secret).get("/api/products")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API key was revoked."}
    assert api(other_secret).get("/api/products").status_code == 200


def test_revoking_through_the_api_stops_the_key_and_keeps_the_caller_working():
    _admin, admin_secret = api_key_create(name="admin", scopes=["settings", "read"], all_accounts=True)
    victim, victim_secret = api_key_create(name="victim", scopes=["read"], all_accounts=True)

    assert api(admin_secret).post(f"/api/keys/{victim.pk}/revoke").status_code == 200

    assert api(victim_secret).get("/api/products").status_code == 401
    assert api(admin_secret).get("/api/products").status_code == 200


def _request_with(secret: str):
    # The request as the views see it: authenticated by the key (request.auth is the ApiKey).
    request = APIRequestFactory().get("/api/products", headers={"X-API-Key": secret})
    _user, request.auth = ApiKeyAuthentication().authenticate(request)
    return request


def test_a_key_limited_to_account_a_is_refused_account_b():
    # TODO(part P): the same through the views' `account` parameter, once it is there.
    first, second = account_default(), AccountFactory(name="Brand")
    _key, secret = api_key_create(name="brand-a", scopes=["read"], accounts=[first])
    request = _request_with(secret)

    assert list(request_accounts(request)) == [first]
    assert request_account(request) == first  # its only account, unnamed
    assert request_account(request, first.name) == first
    with pytest.raises(PermissionDenied, match="may not use the account Brand"):
        request_account(request, second.pk)


def test_a_key_with_several_accounts_must_name_one_and_a_name_that_matches_none_is_a_400_on_account():
    first, second = account_default(), AccountFactory(name="Brand")
    _key, secret = api_key_create(name="both", scopes=["read"], accounts=[first, second])
    request = _request_with(secret)

    with pytest.raises(ValidationError) as several:
        request_account(request)
    with pytest.raises(ValidationError) as unknown:
        request_account(request, "Nobody")

    assert set(several.value.detail) == set(unknown.value.detail) == {"account"}
    assert request_account(request, "Brand") == second


def test_one_keys_flood_does_not_throttle_another_key(settings):
    settings.API_THROTTLE_RATE = "2/min"
    _flood, flood_secret = api_key_create(name="flood", scopes=["read"], all_accounts=True)
    _calm, calm_secret = api_key_create(name="calm", scopes=["read"], all_accounts=True)

    assert [api(flood_secret).get("/api/products").status_code for _ in range(3)] == [200, 200, 429]
    assert api(calm_secret).get("/api/products").status_code == 200


def test_the_audit_row_names_the_key_and_a_session_row_leaves_it_blank(admin_client):
    _key, secret = api_key_create(name="ImageStudio", scopes=["read"], all_accounts=True)

    api(secret).get("/api/products")
    admin_client.get("/api/products")

    rows = ApiLogEntry.objects.filter(direction=Direction.INBOUND).order_by("id")
    assert [row.api_key_name for row in rows] == ["ImageStudio", ""]


def test_the_key_records_when_and_where_it_was_last_used():
    key, secret = api_key_create(name="k", scopes=["read"], all_accounts=True)

    APIClient(headers={"X-API-Key": secret}, REMOTE_ADDR="203.0.113.9").get("/api/products")

    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_from == "203.0.113.9"

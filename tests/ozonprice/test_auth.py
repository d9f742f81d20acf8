"""API authentication: the X-API-Key header, staff sessions, the "default" key's life cycle (named keys: test_keys.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient, APIRequestFactory

from ozonprice.auth import ApiClient, ApiKeyAuthentication
from ozonprice.keys import api_key_check
from ozonprice.models import ApiKey
from ozonprice.services import api_secret_generate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/products"


@pytest.fixture
def client():
    # English messages, whatever LANGUAGE_CODE says.
    return APIClient(headers={"Accept-Language": "en"})


@pytest.fixture
def api_key():
    return api_secret_generate()


def test_a_request_without_credentials_is_401_with_a_challenge(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-API-Key"
    assert "detail" in response.json()


def test_it_rejects_a_wrong_api_key(client, api_key):
    response = client.get(URL, headers={"X-API-Key": api_key + "x"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key."}
    assert response["WWW-Authenticate"] == "X-API-Key"


def test_it_rejects_any_key_while_none_was_generated(client):
    response = client.get(URL, headers={"X-API-Key": "anything"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key."}


def test_it_accepts_the_current_api_key(client, api_key):
    response = client.get(URL, headers={"X-API-Key": api_key})

    assert response.status_code == 200


def test_the_old_key_stops_working_after_regeneration(client, api_key):
    new_key = api_secret_generate()

    assert client.get(URL, headers={"X-API-Key": api_key}).status_code == 401
    assert client.get(URL, headers={"X-API-Key": new_key}).status_code == 200


def test_a_staff_session_with_the_view_permission_is_let_in(client):
    client.force_login(UserFactory(staff=True, permissions=["catalog.view_sku"]))

    assert client.get(URL).status_code == 200


def test_a_staff_session_without_it_is_403_naming_the_permission(client):
    client.force_login(UserFactory(staff=True))

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json()["detail"] == "This operation needs the permission catalog.view_sku."


def test_a_non_staff_session_is_403(client):
    client.force_login(UserFactory())

    response = client.get(URL)

    assert response.status_code == 403
    assert "detail" in response.json()


def test_a_wrong_key_is_refused_even_with_a_staff_session(client, api_key):
    client.force_login(UserFactory(staff=True))

    assert client.get(URL, headers={"X-API-Key": "wrong"}).status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused():
    client = APIClient(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(UserFactory(staff=True))

    response = client.post(URL, {})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_api_key_write_needs_no_csrf_token(api_key):
    client = APIClient(enforce_csrf_checks=True)

    # Authenticated and allowed: only the method is wrong.
    assert client.post(URL, {}, headers={"X-API-Key": api_key}).status_code == 405


def test_the_key_authenticates_as_a_non_anonymous_api_client_carrying_the_key(api_key):
    request = APIRequestFactory().get(URL, headers={"X-API-Key": api_key})

    user, auth = ApiKeyAuthentication().authenticate(request)

    key = ApiKey.objects.get(name="default")
    assert isinstance(user, ApiClient)
    assert user.is_authenticated and not user.is_anonymous
    assert user.pk == f"key:{key.pk}"  # throttles key on it
    assert str(user) == user.get_username() == "default"
    assert auth == key


def test_no_header_is_not_this_scheme():
    request = APIRequestFactory().get(URL)

    assert ApiKeyAuthentication().authenticate(request) is None


def test_only_a_hash_of_the_key_is_stored(api_key):
    stored = ApiKey.objects.get(name="default")

    assert stored.secret_hash.startswith("sha256$")
    assert api_key not in stored.secret_hash
    assert stored.prefix == api_key[:8]
    assert api_key_check(api_key) == stored
    assert api_key_check("") is None


def test_each_generated_key_is_new_and_long():
    first, second = api_secret_generate(), api_secret_generate()

    assert first != second
    assert len(first) >= 43  # 32 random bytes, URL-safe base64


def test_create_api_key_prints_the_new_key_once(client):
    out = StringIO()

    call_command("create_api_key", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("New API key (shown once): ")
    key = lines[0].rsplit(" ", 1)[1]
    assert client.get(URL, headers={"X-API-Key": key}).status_code == 200

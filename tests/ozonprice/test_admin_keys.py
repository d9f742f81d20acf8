"""The API keys in the admin: add shows the secret once, the list never shows a hash, revoke by action or button."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ozonprice.keys import api_key_check, api_key_create
from ozonprice.models import ApiKey
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/ozonprice/apikey/"


def test_adding_a_key_shows_its_secret_once_and_stores_only_the_hash(admin_client):
    account = AccountFactory(name="Brand")

    response = admin_client.post(
        reverse("admin:ozonprice_apikey_add"),
        {"name": "ImageStudio", "scopes": ["images"], "accounts": [account.pk], "expires_at_0": "", "expires_at_1": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "shown this once" in str(m)]
    secret = message.rsplit(" ", 1)[1]
    key = api_key_check(secret)
    assert (key.name, key.scopes, list(key.accounts.all())) == ("ImageStudio", ["images"], [account])
    assert key.created_by and key.secret_hash != secret
    assert secret in admin_client.get(LIST).content.decode()  # the page after saving shows it, once
    page = admin_client.get(LIST).content.decode()
    assert "ImageStudio" in page and secret not in page and key.secret_hash not in page


def test_the_change_page_has_no_hash_field_and_a_revoke_button_that_revokes(admin_client):
    key, secret = api_key_create(name="ImageStudio", scopes=["images"])
    url = reverse("admin:ozonprice_apikey_change", args=[key.pk])

    page = admin_client.get(url).content.decode()
    assert 'name="_revoke"' in page and "secret_hash" not in page and key.secret_hash not in page

    assert admin_client.post(url, {"_revoke": "1"}).status_code == 302
    assert api_key_check(secret) is None


def test_the_revoke_action_revokes_the_selected_keys_only(admin_client):
    first, first_secret = api_key_create(name="a", scopes=["read"])
    _second, second_secret = api_key_create(name="b", scopes=["read"])

    admin_client.post(LIST, {"action": "revoke", "_selected_action": [first.pk]})

    assert api_key_check(first_secret) is None and api_key_check(second_secret) is not None


def test_a_view_only_user_sees_no_revoke_button_and_cannot_post_one(client):
    key, secret = api_key_create(name="ImageStudio", scopes=["images"])
    client.force_login(UserFactory(staff=True, permissions=["ozonprice.view_apikey"]))
    url = reverse("admin:ozonprice_apikey_change", args=[key.pk])

    assert 'name="_revoke"' not in client.get(url).content.decode()
    assert client.post(url, {"_revoke": "1"}).status_code == 403
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None

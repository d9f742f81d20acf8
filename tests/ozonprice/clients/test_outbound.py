"""SSRF: a URL a manager can set is refused on save and at call time when it reaches a private address."""

import pytest
import responses
from django.urls import reverse
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.clients.outbound import host_refusal
from ozonprice.models import ShowcaseSource
from ozonprice.services import api_secret_generate
from tests.ozonprice.ssrf import PRIVATE_URLS, PUBLIC
from tests.ozonprice.test_admin_accounts import account_form

pytestmark = pytest.mark.django_db

SETTINGS = "/api/settings"
PAGE = {"pagination": {"current_page": 1, "total_pages": 1, "items_per_page": 50, "total_items": 0}, "products": []}


@pytest.fixture
def api(account):
    # The install's one account: the URL is one of its settings, so the request need not name it.
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def front_client(url: str) -> FrontPriceClient:
    return FrontPriceClient(base_url=url, seller_id="42", rate_limit=0, retry=RetryPolicy(max_retries=0))


# --- what is private ---------------------------------------------------------------------
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_every_spelling_of_a_private_host_is_refused_without_dns(url, dns):
    from urllib.parse import urlsplit

    assert host_refusal(urlsplit(url).hostname) is not None
    assert dns.asked == []


@pytest.mark.parametrize("host", ["example.com", "api.front-price.ru", PUBLIC, "2606:4700:4700::1111"])
def test_a_public_host_is_not_refused(host):
    assert host_refusal(host) is None


# --- on save: the API and the admin ------------------------------------------------------
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_the_settings_api_refuses_a_private_front_price_url_naming_the_field(api, account, refuse_private, dns, url):
    response = api.put(SETTINGS, {"front_price_api_url": url}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["front_price_api_url"]
    account.refresh_from_db()
    assert account.front_price_api_url == ""


def test_the_settings_api_refuses_a_name_that_resolves_to_a_private_address(api, refuse_private, dns):
    dns.set("front.example.com", [PUBLIC, "10.1.2.3"])  # one private answer is enough

    response = api.put(SETTINGS, {"front_price_api_url": "https://front.example.com/"}, format="json")

    assert response.status_code == 400
    assert "10.1.2.3" in response.json()["errors"]["front_price_api_url"][0]


def test_the_settings_api_takes_a_public_url(api, account, refuse_private, dns):
    dns.set("front.example.com", [PUBLIC])

    response = api.put(SETTINGS, {"front_price_api_url": "https://front.example.com/"}, format="json")

    assert response.status_code == 200
    account.refresh_from_db()
    assert account.front_price_api_url == "https://front.example.com/"


def test_the_switch_lets_the_demo_and_tests_use_loopback(api, dns):
    response = api.put(SETTINGS, {"front_price_api_url": "http://127.0.0.1:8001/"}, format="json")

    assert response.status_code == 200
    assert dns.asked == []


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://localhost:8001/", "http://[::1]/"])
def test_the_admin_account_form_refuses_a_private_front_price_url(admin_client, account, refuse_private, dns, url):
    page = admin_client.post(
        reverse("admin:ozonprice_account_change", args=[account.pk]),
        account_form(name=account.name, client_id=account.client_id, front_price_api_url=url),
    )

    assert page.status_code == 200
    assert list(page.context["adminform"].form.errors) == ["front_price_api_url"]
    account.refresh_from_db()
    assert account.front_price_api_url == ""


# --- at call time, after DNS -------------------------------------------------------------
def test_the_seam_refuses_a_name_that_resolves_to_loopback_before_any_socket(no_network, refuse_private, dns, sockets):
    dns.set("front.example.com", ["127.0.0.1"])
    no_network.add(responses.GET, "https://front.example.com/api/v1/seller/42", json=PAGE)
    client = front_client("https://front.example.com")

    with pytest.raises(ApiError) as refused:
        list(client.seller_prices())

    assert refused.value.permanent and "127.0.0.1" in str(refused.value)
    assert len(no_network.calls) == 0 and sockets.opened == []
    entry = ApiLogEntry.objects.get(service="front_price")
    assert not entry.success and "127.0.0.1" in entry.error_message


def test_the_socket_goes_to_the_address_that_was_checked(no_network, refuse_private, dns, sockets):
    no_network.stop(allow_assert=False)  # real requests/urllib3 down to the socket
    dns.set("front.example.com", [PUBLIC])

    with pytest.raises(ApiError):
        list(front_client("https://front.example.com").seller_prices())

    assert sockets.opened == [(PUBLIC, 443)]


def test_a_name_that_rebinds_to_loopback_after_the_check_gets_no_socket(no_network, refuse_private, dns, sockets):
    no_network.stop(allow_assert=False)
    dns.set("rebind.example.com", [PUBLIC], ["127.0.0.1"])

    with pytest.raises(ApiError) as refused:
        list(front_client("http://rebind.example.com").seller_prices())

    assert refused.value.permanent and "127.0.0.1" in str(refused.value)
    assert sockets.opened == []


def test_a_private_literal_is_refused_at_call_time_even_if_it_was_stored_before(no_network, refuse_private, sockets):
    no_network.add(responses.GET, "http://169.254.169.254/api/v1/seller/42", json=PAGE)

    with pytest.raises(ApiError) as refused:
        list(front_client("http://169.254.169.254").seller_prices())

    assert refused.value.permanent and "metadata" in str(refused.value)
    assert len(no_network.calls) == 0 and sockets.opened == []


# --- the health probe -------------------------------------------------------------------
def test_the_health_probe_does_not_call_a_private_front_price_url(no_network, account, refuse_private, sockets):
    account.showcase_source = ShowcaseSource.FRONT_API
    account.front_price_api_url, account.front_price_seller_id = "http://127.0.0.1:8001", "42"
    account.save()  # stored before the switch went off
    no_network.add(responses.GET, "http://127.0.0.1:8001/api/v1/seller/42", json=PAGE)

    body = APIClient().get("/health").json()

    assert body["components"]["front_price_api"]["status"] == "error"
    # The account's Ozon probe goes out (to the mock); nothing goes to the loopback URL.
    assert [call.request.url for call in no_network.calls if "127.0.0.1" in call.request.url] == []
    assert sockets.opened == []
    assert "127.0.0.1" in ApiLogEntry.objects.get(service="front_price").error_message


# --- the switch ------------------------------------------------------------------------
def test_a_deployment_with_the_switch_on_is_warned(settings):
    from ozonprice.checks import check_outbound_guard

    settings.OUTBOUND_ALLOW_PRIVATE = True
    assert [w.id for w in check_outbound_guard(None)] == ["ozonprice.W002"]
    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert check_outbound_guard(None) == []

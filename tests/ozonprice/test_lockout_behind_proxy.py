"""Admin login lockout behind a reverse proxy: keyed on the client, as the API throttle is."""

import pytest
from django.test import Client
from rest_framework.test import APIRequestFactory

from ozonprice.auth import ApiRateThrottle, client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(staff=True, username="manager")
    user.set_password("the-right-password")
    user.save()


def browser(address: str) -> Client:
    # What the proxy passes on: its own address as REMOTE_ADDR, the client's appended to X-Forwarded-For.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def login(client: Client, password: str) -> int:
    return client.post("/admin/login/", {"username": "manager", "password": password}).status_code


def test_one_clients_failures_lock_that_client_out_not_everyone_behind_the_proxy(behind_one_proxy, settings):
    attacker, admin = browser("203.0.113.5"), browser("198.51.100.7")

    failures = [login(attacker, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert failures[-1] == 429
    assert login(attacker, "the-right-password") == 429
    assert login(admin, "the-right-password") == 302


def test_a_forged_x_forwarded_for_entry_does_not_dodge_the_lockout(behind_one_proxy, settings):
    # The client wrote its own X-Forwarded-For; the proxy appended the real address, which is what counts.
    forging = [browser(f"192.0.2.{n}, 203.0.113.5") for n in range(settings.AXES_FAILURE_LIMIT + 1)]

    codes = [login(client, "wrong") for client in forging]

    assert codes[-2:] == [429, 429]


def test_the_lockout_and_the_api_throttle_see_the_same_client(behind_one_proxy):
    request = APIRequestFactory().get("/api/products", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")

    assert client_address(request) == ApiRateThrottle().get_ident(request) == "203.0.113.5"

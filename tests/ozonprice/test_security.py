"""API hardening: throttling, CSRF, production settings, admin lockout, django-q2 admin, CSP, task args."""

import ast
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_q.models import Schedule, Task
from django_q.tasks import async_task
from rest_framework.test import APIClient, APIRequestFactory

from ozonprice.auth import ApiRateThrottle
from ozonprice.schedule import schedules_install
from ozonprice.services import api_secret_generate
from tests.factories import UserFactory
from tests.fakes.ozon import FakeOzon, product

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


# --- throttling -------------------------------------------------------------


@pytest.mark.django_db
def test_a_client_over_the_rate_gets_429_with_retry_after(settings):
    settings.API_THROTTLE_RATE = "3/min"
    api = APIClient(headers={"X-API-Key": api_secret_generate()})

    codes = [api.get("/api/products").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    response = api.get("/api/products")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


@pytest.mark.django_db
def test_each_staff_user_has_a_bucket_of_their_own(settings):
    settings.API_THROTTLE_RATE = "2/min"
    first, second = APIClient(), APIClient()
    first.force_login(UserFactory(staff=True, permissions=["catalog.view_sku"]))
    second.force_login(UserFactory(staff=True, permissions=["catalog.view_sku"]))

    assert [first.get("/api/products").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/products").status_code == 200


def test_a_forged_x_forwarded_for_does_not_change_who_the_client_is(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    throttle = ApiRateThrottle()
    request = APIRequestFactory().get("/api/products", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert throttle.get_ident(request) == "203.0.113.7"


@pytest.mark.django_db
def test_the_health_check_is_never_throttled(settings):
    settings.API_THROTTLE_RATE = "1/min"

    assert {APIClient().get("/health").status_code for _ in range(3)} == {200}


# --- CSRF -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_write_without_a_csrf_token_is_refused(account):
    before = api_secret_generate()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(UserFactory(staff=True))

    response = client.post("/api/settings/generate-secret")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert APIClient(headers={"X-API-Key": before}).get("/api/settings").status_code == 200


@pytest.mark.django_db
def test_an_api_key_write_needs_no_csrf_token(account):
    client = APIClient(enforce_csrf_checks=True, headers={"X-API-Key": api_secret_generate()})

    assert client.put("/api/settings", {}, format="json").status_code == 200


# --- production settings ----------------------------------------------------


def production_env(**overrides) -> dict:
    env = {
        **os.environ,
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ozonprice.example.com",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "EMAIL_URL": "smtp+tls://alerts:password@smtp.example.com:587",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    command = [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


def test_check_deploy_is_clean_under_production_settings():
    result = check_deploy(production_env())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_the_encryption_key_or_with_the_dev_secret_key():
    result = check_deploy(production_env(FIELD_ENCRYPTION_KEY=None, DJANGO_SECRET_KEY=None))

    assert result.returncode != 0
    assert "ozonprice.E001" in result.stderr and "ozonprice.E003" in result.stderr


# --- admin login lockout (django-axes) --------------------------------------


@pytest.mark.django_db
def test_admin_logins_lock_out_after_repeated_failures_and_open_after_the_cooloff(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(staff=True, username="manager")
    user.set_password("the-right-password")
    user.save()

    def login(password):
        return client.post("/admin/login/", {"username": "manager", "password": password})

    with time_machine.travel(timezone.now(), tick=False) as clock:
        failures = [login("wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
        locked = login("the-right-password")
        clock.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=5))
        still_locked = login("the-right-password")
        # An attempt while locked counts as a failure and restarts the cooloff.
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        after = login("the-right-password")

    # The form again, with an error, until the limit; the limit-th failure locks.
    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert (locked.status_code, still_locked.status_code) == (429, 429)
    assert after.status_code == 302


# --- django-q2 admin --------------------------------------------------------


@pytest.mark.django_db
def test_staff_with_every_django_q_permission_still_cannot_add_or_change_a_schedule(client):
    staff = UserFactory(staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="django_q"))
    schedule = schedules_install()[0]
    client.force_login(staff)

    assert client.get("/admin/django_q/schedule/").status_code == 200
    assert client.get("/admin/django_q/schedule/add/").status_code == 403
    assert client.post(f"/admin/django_q/schedule/{schedule.pk}/change/", {"func": "os.system"}).status_code == 403
    assert Schedule.objects.get(pk=schedule.pk).func == schedule.func


@pytest.mark.django_db
def test_a_superuser_may_edit_schedules(admin_client):
    assert admin_client.get("/admin/django_q/schedule/add/").status_code == 200


# --- headers ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/admin/login/", "/health"])
def test_pages_carry_a_content_security_policy_and_refuse_framing(client, url):
    response = client.get(url)

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# --- task arguments ---------------------------------------------------------


@pytest.mark.django_db
def test_no_schedule_or_task_carries_a_secret(no_network, ozon_credentials):
    FakeOzon(products=[product(1)]).install(no_network)
    schedules_install()

    async_task("catalog.tasks.monitor_products")

    key = ozon_credentials.api_key
    # A per-account schedule carries the account's id only; the task reads the key from the account row.
    for schedule in Schedule.objects.all():
        assert schedule.args in (None, "", "()") and key not in (schedule.kwargs or "")
        assert ast.literal_eval(schedule.kwargs or "{}") in ({}, {"account_id": ozon_credentials.pk})
    [task] = Task.objects.all()
    assert task.success
    assert key not in repr((task.args, task.kwargs, task.result))


# --- ids beyond 64 bits -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/products/9999999999999999999/activate", None),
        ("put", "/api/products/99999999999999999999", {"active": True}),
    ],
)
def test_a_product_id_beyond_64_bits_is_a_json_404(method, url, body):
    api = APIClient(headers={"X-API-Key": api_secret_generate()})

    response = getattr(api, method)(url, body, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."} or "detail" in response.json()


@pytest.mark.django_db
def test_product_ids_beyond_64_bits_in_a_body_or_query_are_a_400():
    api = APIClient(headers={"X-API-Key": api_secret_generate()})

    body = api.post("/api/products/fetch-prices", {"product_ids": ["9522193111171391821"]}, format="json")
    query = api.get("/api/price-history", {"product_id": "9522193111171391821"})

    assert (body.status_code, list(body.json()["errors"])) == (400, ["product_ids"])
    assert (query.status_code, list(query.json()["errors"])) == (400, ["product_id"])

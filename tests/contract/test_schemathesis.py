"""Contract fuzzing: every operation in /api/schema/, driven by schemathesis in-process.

No answer may be a 5xx (an upstream failure is a documented 502), break the
schema, or carry a secret: the Ozon Api-Key in plaintext, its stored Fernet
token, or the API key itself. Outgoing calls hit the autouse network block
(tests/conftest.py), so operations that call Ozon fail fast with a 502.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import checks

from ozonprice.models import Account
from ozonprice.services import api_secret_generate
from ozonprice.wsgi import application

OZON_API_KEY = "contract-test-ozon-api-key-7f3e9a1c"
SEEDED_SECRETS: list[str] = []


def served_schema() -> dict:
    """What /api/schema/ serves, built at collection time without a request.

    schemathesis' lazy `from_fixture` loader does not run under pytest 9, and
    at collection the database (where the throttle counts) is out of reach.
    """
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = application  # cases are sent to the app in-process (WSGI)
schema.location = "/api/schema/"


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app closes "old" connections after each request, as Django's test
    Client does not: on PostgreSQL that would close the test's own connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, settings):
    """Stored Ozon credentials and an API key: the secrets no answer may show."""
    settings.OZON_MAX_RETRIES = 0  # a blocked call fails at once, no backoff sleeps
    settings.API_THROTTLE_RATE = "100000/min"
    settings.API_ANON_THROTTLE_RATE = "100000/min"  # schemathesis sends many calls with a wrong key
    # The install's one account (as migrating today's settings makes it): actions resolve it without naming it.
    account, _created = Account.objects.get_or_create(
        client_id="123456", defaults={"name": "Ozon", "api_key": OZON_API_KEY}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM ozonprice_account WHERE id = %s", [account.pk])
        (token,) = cursor.fetchone()
    SEEDED_SECRETS[:] = [OZON_API_KEY, token, api_secret_generate()]
    return SEEDED_SECRETS


def no_secret_in_the_body(ctx, response, case) -> None:
    body = response.content.decode("utf-8", errors="replace") if response.content else ""
    leaked = [
        name
        for name, value in zip(("ozon_api_key", "stored token", "api key"), SEEDED_SECRETS, strict=True)
        if value and value in body
    ]
    if leaked:
        raise AssertionError(f"the response body holds a secret: {', '.join(leaked)}")


def no_server_fault(ctx, response, case) -> None:
    """No 500: Ozon being unreachable is the documented 502 (503/504 for its quota and slowness)."""
    if response.status_code >= 500 and response.status_code not in (502, 503, 504):
        raise AssertionError(f"server fault: {response.status_code}")


def call_and_validate(case, seeded) -> None:
    case.call_and_validate(
        headers={"X-API-Key": seeded[2]},
        additional_checks=[no_secret_in_the_body, no_server_fault],
        # Replaced by no_server_fault: an upstream failure is answered 502 by design.
        # positive_data_acceptance: some rules are stricter than OpenAPI can say
        # (start_date <= end_date, a URL's host label length), so a schema-valid
        # request may rightly get its 400.
        excluded_checks=[checks.not_a_server_error, checks.positive_data_acceptance],
    )


# Derandomized: the same cases every run, so CI is reproducible.
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_every_operation_keeps_its_contract(case, seeded):
    call_and_validate(case, seeded)

"""`GET /health`: public, cheap, and free of secrets.

The database answers a `SELECT 1`. Ozon and the Front Price API are judged by
their latest call in the API log (every call is logged by the HTTP seam); when
none is recent, one short live probe runs, at most once a minute across all
processes (a gate in the shared cache), and its logged result is used.

Each active account is judged on its own calls (`accounts`: its id, name and
two statuses); the SPEC's `components.ozon_api`/`front_price_api` are the
worst of them, so one account's broken credentials show as degraded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ozonprice.account_connection import ozon_read_once
from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.fields import EncryptionKeyError
from ozonprice.models import Account

logger = logging.getLogger(__name__)

# A logged call younger than this tells the state; an older one asks for a probe.
FRESH = timedelta(minutes=5)
PROBE_EVERY_SECONDS = 60
PROBE_TIMEOUT = (2.0, 5.0)
OK, DEGRADED, ERROR, UNKNOWN = "ok", "degraded", "error", "unknown"


def database_health() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health: the database did not answer")
        return {"status": ERROR, "latency_ms": None}
    return {"status": OK, "latency_ms": round((time.monotonic() - started) * 1000, 1)}


def _latest_call(service: str, account: Account) -> Mapping[str, Any] | None:
    from auditlog.models import ApiLogEntry, Direction

    return (
        ApiLogEntry.objects.filter(service=service, direction=Direction.OUTBOUND, account=account)
        .order_by("-timestamp", "-id")
        .values("timestamp", "success", "status_code", "response_time")
        .first()
    )


def _call_health(call: Mapping[str, Any] | None) -> dict:
    if call is None:
        return {"status": UNKNOWN, "latency_ms": None}
    code = call["status_code"]
    # A refused request (a bad product id…) still shows the service answering;
    # bad credentials (401/403) and rate limits do not count as healthy.
    up = call["success"] or (code is not None and 400 <= code < 500 and code not in (401, 403, 429))
    latency = call["response_time"]
    return {"status": OK if up else ERROR, "latency_ms": round(latency * 1000, 1) if latency is not None else None}


def _probe_ozon(account: Account) -> None:
    if account.client_id and account.api_key:
        ozon_read_once(account, timeout=PROBE_TIMEOUT)


def _probe_front_price(account: Account) -> None:
    from ozonprice.clients.frontprice import FrontPriceClient

    if not account.front_price_api_url or not account.front_price_seller_id:
        return
    client = FrontPriceClient(
        base_url=account.front_price_api_url,
        seller_id=account.front_price_seller_id,
        account_id=account.pk,
        rate_limit=0,
        timeout=PROBE_TIMEOUT,
        retry=RetryPolicy(max_retries=0),
    )
    try:
        next(client.seller_prices(), None)
    finally:
        client.close()


PROBES = {"ozon": _probe_ozon, "front_price": _probe_front_price}


def _probe_gate_opens(service: str, account: Account) -> bool:
    try:
        return cache.add(f"health:probe:{service}:{account.pk}", 1, PROBE_EVERY_SECONDS)
    except Exception:  # a cache outage must not take the health answer down with it
        logger.exception("health: the cache did not answer; no probe")
        return False


def upstream_health(service: str, account: Account) -> dict:
    """One account's state of `service` ("ozon", "front_price")."""
    call = _latest_call(service, account)
    stale = call is None or call["timestamp"] < timezone.now() - FRESH
    if stale and _probe_gate_opens(service, account):
        try:
            PROBES[service](account)
        except ApiError as error:
            logger.info("health: %s probe failed: %s", service, error)  # the seam logged the call
        except EncryptionKeyError:
            logger.exception("health: the stored credentials cannot be decrypted; no probe")
        call = _latest_call(service, account)
    return _call_health(call)


def _worst(states: list[dict]) -> dict:
    """The SPEC's one status of a service over every account: an error wins, then ok; none known: unknown."""
    for wanted in (ERROR, OK):
        found = [state for state in states if state["status"] == wanted]
        if found:
            return found[0]
    return {"status": UNKNOWN, "latency_ms": None}


def health_report() -> tuple[dict, bool]:
    """The report, and whether the service can work at all (the database answers)."""
    from ozonprice.selectors import task_last_run

    database = database_health()
    if database["status"] != OK:
        unknown = {"status": UNKNOWN, "latency_ms": None}
        return {
            "status": ERROR,
            "components": {"database": database, "ozon_api": unknown, "front_price_api": dict(unknown)},
            "accounts": [],
            "last_monitoring": None,
            "last_price_update": None,
        }, False
    accounts: list[dict[str, Any]] = [
        {
            # The id only: /health is public (load balancers), and an account's name may be a person's
            # («ИП Иванов»); staff see names in the admin.
            "account": account.pk,
            "ozon_api": upstream_health("ozon", account),
            "front_price_api": upstream_health("front_price", account),
        }
        # The Api-Key is read only by a probe, inside its guard: a key that cannot be decrypted
        # (FIELD_ENCRYPTION_KEY changed) makes that account's state unknown, not the answer a 500.
        for account in Account.objects.filter(active=True).defer("api_key").order_by("id")
    ]
    components = {
        "database": database,
        "ozon_api": _worst([state["ozon_api"] for state in accounts]),
        "front_price_api": _worst([state["front_price_api"] for state in accounts]),
    }
    monitoring = task_last_run(name="monitor_products")
    price_update = task_last_run(name="maintain_mrpc_prices")
    degraded = any(component["status"] == ERROR for component in components.values())
    return {
        "status": DEGRADED if degraded else OK,
        "components": components,
        "accounts": accounts,
        "last_monitoring": monitoring.stopped if monitoring else None,
        "last_price_update": price_update.stopped if price_update else None,
    }, True


class ComponentHealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[OK, ERROR, UNKNOWN], help_text=_("unknown: never called, or not configured.")
    )
    latency_ms = serializers.FloatField(allow_null=True)


class HealthComponentsSerializer(serializers.Serializer):
    database = ComponentHealthSerializer()
    ozon_api = ComponentHealthSerializer()
    front_price_api = ComponentHealthSerializer()


class AccountHealthSerializer(serializers.Serializer):
    account = serializers.IntegerField(help_text=_("The account's id."))
    ozon_api = ComponentHealthSerializer()
    front_price_api = ComponentHealthSerializer()


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[OK, DEGRADED, ERROR], help_text=_("degraded: an upstream API fails; error: the database is down.")
    )
    components = HealthComponentsSerializer()
    accounts = AccountHealthSerializer(
        many=True, help_text=_("Each active Ozon account's own state; components show the worst of them.")
    )
    last_monitoring = serializers.DateTimeField(allow_null=True, help_text=_("Last catalogue sync run."))
    last_price_update = serializers.DateTimeField(allow_null=True, help_text=_("Last price maintenance run."))


class HealthApi(APIView):
    # Public, never throttled (load balancers poll it), never touches a session.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        summary=_("Service health"),
        tags=["health"],
        auth=[],
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(HealthSerializer, description=_("The database is down.")),
        },
    )
    def get(self, request: Request) -> Response:
        report, working = health_report()
        code = status.HTTP_200_OK if working else status.HTTP_503_SERVICE_UNAVAILABLE
        response = Response(HealthSerializer(report).data, status=code)
        response["Cache-Control"] = "no-store"
        return response

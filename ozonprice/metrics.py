"""Prometheus metrics at `/metrics`.

Counters (API requests, API latency, outgoing calls) are kept by the process
that counts them. With several processes (gunicorn workers, qcluster, whose
workers make the Ozon calls) set PROMETHEUS_MULTIPROC_DIR to one empty
directory for all of them, so every process's counts reach the scrape
(prometheus_client's multiprocess mode). The gauges (price changes by status,
last task runs) are read from the database at each scrape, so they are the
same whichever process answers.

Access: a staff session, `X-API-Key`, or `Authorization: Bearer <API key>`
(what Prometheus' `authorization` scrape option sends); METRICS_PUBLIC=true
opens it to anyone who can reach it. It holds counts and timings, no secrets.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

API_REQUESTS = Counter(
    "ozonprice_api_requests",
    "API requests by endpoint (URL route), method and status code.",
    ["endpoint", "method", "status"],
)
API_LATENCY = Histogram(
    "ozonprice_api_request_duration_seconds",
    "API request latency by endpoint (URL route).",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
OUTBOUND_CALLS = Counter(
    "ozonprice_outbound_calls",
    "Outgoing calls (service ozon: the Ozon Seller API) by endpoint and outcome: "
    "success, rate_limited, client_error, server_error, invalid_response, no_response.",
    ["service", "endpoint", "outcome"],
)


def api_request_observe(*, endpoint: str, method: str, status: int, seconds: float) -> None:
    API_REQUESTS.labels(endpoint=endpoint, method=method, status=str(status)).inc()
    API_LATENCY.labels(endpoint=endpoint).observe(seconds)


def call_outcome(*, status_code: int | None, success: bool) -> str:
    if success:
        return "success"
    if status_code is None:
        return "no_response"
    if status_code == 429:
        return "rate_limited"
    if status_code >= 500:
        return "server_error"
    if status_code >= 400:
        return "client_error"
    return "invalid_response"


def outbound_call_observe(*, service: str, endpoint: str, status_code: int | None, success: bool) -> None:
    # The path only: query strings would make a label value per page.
    path = endpoint.split("?", 1)[0]
    OUTBOUND_CALLS.labels(
        service=service, endpoint=path, outcome=call_outcome(status_code=status_code, success=success)
    ).inc()


class DatabaseCollector:
    """Gauges read from the database at scrape time; no rows are kept in memory."""

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count

        from ozonprice.selectors import job_names, task_last_run
        from pricing.models import ChangeStatus, PriceChange

        up = GaugeMetricFamily("ozonprice_database_up", "1 when the database answered this scrape.")
        try:
            counts = dict(
                PriceChange.objects.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
            )
            runs = {name: (task_last_run(name=name), task_last_run(name=name, success=True)) for name in job_names()}
        except DatabaseError:
            logger.exception("metrics: the database did not answer")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        changes = GaugeMetricFamily(
            "ozonprice_price_changes", "Price changes by status (the verification queue).", labels=["status"]
        )
        for status in ChangeStatus.values:
            changes.add_metric([status], counts.get(status, 0))
        yield changes
        last_run = GaugeMetricFamily(
            "ozonprice_task_last_run_timestamp_seconds", "When each task's last run finished.", labels=["task"]
        )
        last_ok = GaugeMetricFamily(
            "ozonprice_task_last_success_timestamp_seconds", "When each task last succeeded.", labels=["task"]
        )
        last_result = GaugeMetricFamily(
            "ozonprice_task_last_run_success", "1 when each task's last run succeeded.", labels=["task"]
        )
        for name, (run, ok) in runs.items():
            if run is not None:
                last_run.add_metric([name], run.stopped.timestamp())
                last_result.add_metric([name], 1 if run.success else 0)
            if ok is not None:
                last_ok.add_metric([name], ok.stopped.timestamp())
        yield from (last_run, last_ok, last_result)


DATABASE_REGISTRY = CollectorRegistry(auto_describe=False)
DATABASE_REGISTRY.register(DatabaseCollector())


def metrics_text() -> bytes:
    """Every metric in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(DATABASE_REGISTRY)


def _may_read(request: HttpRequest) -> bool:
    from ozonprice.auth import API_KEY_META
    from ozonprice.services import api_secret_check

    if settings.METRICS_PUBLIC:
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return True
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    key = request.META.get(API_KEY_META, "").strip() or (token.strip() if scheme.lower() == "bearer" else "")
    return bool(key) and api_secret_check(key)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": _("Method not allowed.")}, status=405, headers={"Allow": "GET, HEAD"})
    if not _may_read(request):
        return JsonResponse(
            {"detail": _("Staff access or a valid API key is required.")},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)

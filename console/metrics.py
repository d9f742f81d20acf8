"""Prometheus metrics at `/metrics`: the core's counters (ozonprice.metrics) and gauges read here.

The gauges (price changes by status, last task runs) are read from the
database at each scrape, so they are the same whichever process answers.

Access: a staff session, `X-API-Key`, or `Authorization: Bearer <API key>`
(what Prometheus' `authorization` scrape option sends); METRICS_PUBLIC=true
opens it to anyone who can reach it. It holds counts and timings, no secrets.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from ozonprice.auth import API_KEY_META
from ozonprice.keys import api_key_check
from ozonprice.selectors import job_names, task_last_run
from pricing.models import ChangeStatus, PriceChange

logger = logging.getLogger(__name__)


class DatabaseCollector:
    """Gauges read from the database at scrape time; no rows are kept in memory."""

    def collect(self):
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
    if settings.METRICS_PUBLIC:
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return True
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    key = request.META.get(API_KEY_META, "").strip() or (token.strip() if scheme.lower() == "bearer" else "")
    found = api_key_check(key) if key else None
    # Operational figures: for a key that may read.
    return found is not None and "read" in (found.scopes or [])


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

"""Prometheus counters: API requests, API latency, outgoing calls.

They are served at `/metrics` by console.metrics, with the gauges it reads
from the database. Counters are kept by the process that counts them. With
several processes (gunicorn workers, qcluster, whose workers make the Ozon calls) set PROMETHEUS_MULTIPROC_DIR to one empty
directory for all of them, so every process's counts reach the scrape
(prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging

from prometheus_client import (
    Counter,
    Histogram,
)

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

"""Reads of the API log."""

from __future__ import annotations

from django.db.models import QuerySet

from auditlog.models import ApiLogEntry

# The columns of the API's log list; nothing else is read.
LOG_FIELDS = (
    "id",
    "account",
    "api_key_name",
    "timestamp",
    "endpoint",
    "method",
    "status_code",
    "response_time",
    "products_count",
    "success",
    "error_message",
    "request_payload",
    "response_payload",
)


def api_log_list() -> QuerySet:
    """The log's rows as the API lists them, newest first (filtered by auditlog.filters.ApiLogFilter)."""
    return ApiLogEntry.objects.order_by("-timestamp", "-id").values(*LOG_FIELDS)

"""Reads of the API log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from auditlog.models import ApiLogEntry
from catalog.selectors import SkuPage

# The columns of the API's log list; nothing else is read.
LOG_FIELDS = (
    "id",
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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def api_log_page(
    *,
    start_date: date | None = None,
    end_date: date | None = None,
    status: str | int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> SkuPage:
    """Newest first. `status`: "success", "error" or an HTTP code; `end_date` includes its whole day."""
    rows = ApiLogEntry.objects.order_by("-timestamp", "-id")
    if start_date:
        rows = rows.filter(timestamp__gte=_day_start(start_date))
    if end_date:
        rows = rows.filter(timestamp__lt=_day_start(end_date + timedelta(days=1)))
    if status == "success":
        rows = rows.filter(success=True)
    elif status == "error":
        rows = rows.filter(success=False)
    elif status is not None:
        rows = rows.filter(status_code=int(status))
    total = rows.count()
    offset = (page - 1) * per_page
    items = list(rows.values(*LOG_FIELDS)[offset : offset + per_page]) if offset < total else []
    return SkuPage(items=items, total=total, page=page, pages=-(-total // per_page))

"""The API log: read-only, tuned for a large, fast-growing table."""

from __future__ import annotations

import json

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from auditlog.models import ApiLogEntry
from ozonprice.admin_base import BoundedSearchMixin, ReadOnlyAdminMixin
from ozonprice.admin_switcher import AccountScopedAdminMixin


class StatusClassFilter(admin.SimpleListFilter):
    """Status codes by class: a fixed list, where the default filter would scan for distinct codes."""

    title = _("status")
    parameter_name = "status_class"
    CLASSES = {
        "2xx": Q(status_code__gte=200, status_code__lt=300),
        "3xx": Q(status_code__gte=300, status_code__lt=400),
        "4xx": Q(status_code__gte=400, status_code__lt=500),
        "5xx": Q(status_code__gte=500, status_code__lt=600),
        "none": Q(status_code__isnull=True),
    }

    def lookups(self, request, model_admin):
        return [
            ("2xx", _("2xx success")),
            ("3xx", _("3xx redirect")),
            ("4xx", _("4xx client error")),
            ("5xx", _("5xx server error")),
            ("none", _("no response")),
        ]

    def queryset(self, request, queryset):
        condition = self.CLASSES.get(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(ApiLogEntry)
class ApiLogEntryAdmin(AccountScopedAdminMixin, BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: rows leave only by the retention purge."""

    list_display = (
        "timestamp",
        "direction",
        "service",
        "method",
        "endpoint",
        "status_code",
        "response_time",
        "products_count",
        "success",
        "run_id",
    )
    list_filter = ("direction", "service", "success", StatusClassFilter)
    # A run id (from a task's log line) matches exactly: every call that run made.
    search_fields = ("endpoint", "=run_id")
    date_hierarchy = "timestamp"
    list_select_related = False  # no relations
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-timestamp", "-id")
    fields = (*list_display, "error_message", "request_payload_pretty", "response_payload_pretty")
    readonly_fields = fields

    @admin.display(description=_("request"))
    def request_payload_pretty(self, obj: ApiLogEntry) -> str:
        return _pretty(obj.request_payload)

    @admin.display(description=_("response"))
    def response_payload_pretty(self, obj: ApiLogEntry) -> str:
        return _pretty(obj.response_payload)


def _pretty(payload: str) -> str:
    if not payload:
        return "—"
    try:
        payload = json.dumps(json.loads(payload), ensure_ascii=False, indent=2)
    except ValueError:
        pass  # a capped payload is no longer valid JSON: show it as stored
    return format_html('<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>', payload)

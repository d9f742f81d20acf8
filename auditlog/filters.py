"""The API-log API's filters (django-filter), values read by ApiLogParamsSerializer."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from auditlog.models import ApiLogEntry
from auditlog.serializers import ApiLogParamsSerializer
from ozonprice.filtering import DayRangeFilterSet

STATUS_HELP = _('"success", "error", or an HTTP status code such as 502.')


class ApiLogFilter(DayRangeFilterSet):
    params_serializer = ApiLogParamsSerializer

    status = django_filters.CharFilter(method="filter_status", help_text=STATUS_HELP)

    class Meta:
        model = ApiLogEntry
        fields = ["start_date", "end_date", "status"]

    @extend_schema_field(
        {
            "type": "string",
            "minLength": 1,
            "pattern": r"^(success|error|[1-5][0-9][0-9])$(?!\n)",
            "description": STATUS_HELP,
        }
    )
    def filter_status(self, queryset, name, value: str):
        if value == "success":
            return queryset.filter(success=True)
        if value == "error":
            return queryset.filter(success=False)
        return queryset.filter(status_code=int(value))

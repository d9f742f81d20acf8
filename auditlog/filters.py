"""The API-log API's filters (django-filter), values read by ApiLogParamsSerializer."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from auditlog.models import ApiLogEntry
from auditlog.serializers import ApiLogParamsSerializer
from ozonprice.filtering import DayRangeFilterSet


class ApiLogFilter(DayRangeFilterSet):
    params_serializer = ApiLogParamsSerializer

    status = django_filters.CharFilter(
        method="filter_status", help_text=_('"success", "error", or an HTTP status code such as 502.')
    )

    class Meta:
        model = ApiLogEntry
        fields = ["start_date", "end_date", "status"]

    def filter_status(self, queryset, name, value: str):
        if value == "success":
            return queryset.filter(success=True)
        if value == "error":
            return queryset.filter(success=False)
        return queryset.filter(status_code=int(value))

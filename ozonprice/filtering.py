"""FilterSets whose input is checked by the API's strict params serializers.

The filters (django-filter, through DjangoFilterBackend) give the browsable
API its filter form and the OpenAPI document its query parameters. The values
are read by a DRF serializer instead of the filters' form fields: that is where
issue 10's rules live (bounded dates, ASCII digits, a search of a few words),
with the messages the API has always given; a bad value is a 400 naming it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from ozonprice.exceptions import QueryParamsInvalid


class ParamsFilterSet(django_filters.FilterSet):
    """Subclasses set `params_serializer`; a value that is None or blank means no filter."""

    params_serializer: type[serializers.Serializer]

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        # A plain dict, not the QueryDict: DRF reads a missing boolean in "HTML
        # form" input as False, and an absent filter must mean "no filter".
        raw = data.dict() if hasattr(data, "dict") else dict(data or {})
        self.params = self.params_serializer(data=raw)

    def is_valid(self) -> bool:
        return self.params.is_valid()

    @property
    def errors(self) -> dict[str, Any]:
        return self.params.errors if not self.params.is_valid() else {}

    def filter_queryset(self, queryset):
        values = self.params.validated_data
        for name, value in values.items():
            if name in self.filters and value is not None and value != "":
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class ParamsFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose 400 is the API's: "Invalid query parameters.", by field."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise QueryParamsInvalid(filterset.errors)
        return filterset.qs


def day_start(day: date) -> datetime:
    """The first moment of `day` in TIME_ZONE."""
    return timezone.make_aware(datetime.combine(day, time.min))


class DayRangeFilterSet(ParamsFilterSet):
    """`start_date` and `end_date` on `timestamp`, both days whole and inclusive (in TIME_ZONE)."""

    start_date = django_filters.DateFilter(
        method="filter_start_date", help_text=_("From this day (YYYY-MM-DD), inclusive.")
    )
    end_date = django_filters.DateFilter(method="filter_end_date", help_text=_("To this day (YYYY-MM-DD), inclusive."))

    def filter_start_date(self, queryset, name, value: date):
        return queryset.filter(timestamp__gte=day_start(value))

    def filter_end_date(self, queryset, name, value: date):
        return queryset.filter(timestamp__lt=day_start(value + timedelta(days=1)))

"""The API-log API's filters (django-filter), values read by ApiLogParamsSerializer."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from auditlog.models import ApiLogEntry
from auditlog.serializers import ApiLogParamsSerializer
from ozonprice.api_accounts import AccountFilterSet, request_every_account
from ozonprice.filtering import DayRangeFilterSet
from ozonprice.models import Account

STATUS_HELP = _('"success", "error", or an HTTP status code such as 502.')


class ApiLogFilter(AccountFilterSet, DayRangeFilterSet):
    params_serializer = ApiLogParamsSerializer

    status = django_filters.CharFilter(method="filter_status", help_text=STATUS_HELP)

    class Meta:
        model = ApiLogEntry
        fields = ["account", "start_date", "end_date", "status"]

    def account_rows(self, account: Account | None) -> Q:
        """The account's rows; with them the rows of no account for a caller who may use every account.

        Rows of no account are inbound requests that named none and calls made with a caller's own
        credentials: a key limited to some accounts does not see them (they may be another's).
        """
        rows = super().account_rows(account)
        return rows | Q(account__isnull=True) if request_every_account(self.request) else rows

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

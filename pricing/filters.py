"""The price-history API's filters (django-filter), values read by PriceHistoryParamsSerializer."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from ozonprice.api_accounts import AccountFilterSet
from ozonprice.filtering import DayRangeFilterSet
from pricing.models import PriceHistory
from pricing.serializers import PriceHistoryParamsSerializer

PRODUCT_ID_HELP = _("Only this product's changes: its Ozon product id, as digits.")


class PriceHistoryFilter(AccountFilterSet, DayRangeFilterSet):
    params_serializer = PriceHistoryParamsSerializer
    account_field = "sku__account"

    product_id = django_filters.CharFilter(method="filter_product_id", help_text=PRODUCT_ID_HELP)

    class Meta:
        model = PriceHistory
        fields = ["account", "product_id", "start_date", "end_date"]

    @extend_schema_field({"type": "string", "minLength": 1, "pattern": "^[0-9]{1,19}$", "description": PRODUCT_ID_HELP})
    def filter_product_id(self, queryset, name, value: str):
        return queryset.filter(sku__product_id=int(value))

"""Filters on the SKU list, shared by the API (a FilterSet) and the admin (list filters)."""

from __future__ import annotations

import django_filters
from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from catalog.models import Sku
from catalog.serializers import ProductListParamsSerializer
from ozonprice.api_accounts import AccountFilterSet
from ozonprice.inputs import is_ascii_digits

# Ozon's ids are 64-bit; a longer number cannot match and would overflow the database driver.
MAX_ID = 2**63 - 1


def sku_search_q(query: str) -> Q:
    """Every word must match the name or article; a number also matches SKU or product id exactly.

    The ids are integer columns: an exact match uses their indexes, where a
    LIKE would scan and cast every row.
    """
    condition = Q()
    for word in query.split():
        word_q = Q(name__icontains=word) | Q(offer_id__icontains=word)
        # ASCII digits only: `str.isdigit()` is also true for "²", which `int()` refuses.
        if is_ascii_digits(word) and int(word) <= MAX_ID:
            word_q |= Q(sku=int(word)) | Q(product_id=int(word))
        condition &= word_q
    return condition


ACTIVE_HELP = _("Only products with price maintenance on (or off).")
HAS_STOCK_HELP = _("Only products in stock (or out of stock).")
SEARCH_HELP = _("Words in the name or article; a number also finds the Ozon SKU or product id.")


class SkuFilter(AccountFilterSet):
    """The API's product filters; values read by ProductListParamsSerializer."""

    params_serializer = ProductListParamsSerializer

    # A schema given by hand replaces the generated one, description included.
    # "null" is a value the params serializer reads as "no filter": documented as such.
    active = django_filters.BooleanFilter(method="filter_active", help_text=ACTIVE_HELP)
    has_stock = django_filters.BooleanFilter(method="filter_has_stock", help_text=HAS_STOCK_HELP)
    search = django_filters.CharFilter(method="filter_search", help_text=SEARCH_HELP)

    class Meta:
        model = Sku
        fields = ["account", "active", "has_stock", "search"]

    @extend_schema_field({"type": "boolean", "nullable": True, "description": ACTIVE_HELP})
    def filter_active(self, queryset, name, value: bool):
        return queryset.filter(active=value)

    @extend_schema_field({"type": "boolean", "nullable": True, "description": HAS_STOCK_HELP})
    def filter_has_stock(self, queryset, name, value: bool):
        return queryset.filter(available=value)

    @extend_schema_field({"type": "string", "default": "", "maxLength": 200, "description": SEARCH_HELP})
    def filter_search(self, queryset, name, value: str):
        return queryset.filter(sku_search_q(value))


class YesNoFilter(admin.SimpleListFilter):
    """A yes/no admin filter: subclasses give `title`, `parameter_name` and `condition`."""

    @property
    def condition(self) -> Q:
        # A property here so that subclasses may give either a class attribute or a property.
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition)
        if self.value() == "no":
            return queryset.exclude(self.condition)
        return queryset


class MrpcSetFilter(YesNoFilter):
    title = _("MRPC set")
    parameter_name = "mrpc_set"
    condition = Q(mrpc__isnull=False)


class BelowMrpcFilter(YesNoFilter):
    """The showcase price is under MRPC: what price maintenance exists to fix."""

    title = _("showcase below MRPC")
    parameter_name = "below_mrpc"
    condition = Q(front_price__lt=F("mrpc"))

    def queryset(self, request, queryset):
        if self.value() == "no":
            # "No" means both prices known and the showcase at or above MRPC;
            # rows lacking either price are in neither answer.
            return queryset.filter(front_price__gte=F("mrpc"))
        return super().queryset(request, queryset)


class MissingFromOzonFilter(YesNoFilter):
    title = _("missing from Ozon")
    parameter_name = "missing"
    condition = Q(missing_since__isnull=False)


class ShowcaseHoldFilter(admin.SimpleListFilter):
    """The per-SKU showcase hold choice, and the SKUs the hold has raised above MRPC now."""

    title = _("showcase hold")
    parameter_name = "showcase_hold"

    def lookups(self, request, model_admin):
        return [
            ("on", _("On for this SKU")),
            ("off", _("Off for this SKU")),
            ("default", _("Follows the global setting")),
            ("raised", _("Price raised above MRPC")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "on":
            return queryset.filter(showcase_hold=True)
        if value == "off":
            return queryset.filter(showcase_hold=False)
        if value == "default":
            return queryset.filter(showcase_hold__isnull=True)
        if value == "raised":
            return queryset.filter(price__gt=F("mrpc"))
        return queryset

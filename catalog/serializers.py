"""Request and response shapes of the catalogue API (unique names: they are schema components)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from catalog.models import PRICE
from ozonprice.admin_base import MAX_SEARCH_WORDS
from ozonprice.api_accounts import AccountReferenceField
from ozonprice.pagination import MAX_PER_PAGE

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def price_field(label: str | StrPromise, **kwargs) -> serializers.DecimalField:
    # COERCE_DECIMAL_TO_STRING is off: prices leave as JSON numbers (or null).
    return serializers.DecimalField(
        max_digits=PRICE["max_digits"],
        decimal_places=PRICE["decimal_places"],
        allow_null=True,
        help_text=label,
        **kwargs,
    )


class ProductListParamsSerializer(serializers.Serializer):
    account = AccountReferenceField()
    page = serializers.IntegerField(min_value=1, default=1, help_text=_("Page number, from 1."))
    per_page = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, default=50, help_text=_("Products per page, 1 to 500.")
    )
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only products with price maintenance on (or off).")
    )
    has_stock = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only products in stock (or out of stock).")
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text=_("Words in the name or article; a number also finds the Ozon SKU or product id."),
    )

    def validate_search(self, value: str) -> str:
        # Each word is one more AND in the query (SQLite's expression depth is bounded).
        if len(value.split()) > MAX_SEARCH_WORDS:
            raise serializers.ValidationError(_("At most %(count)d words.") % {"count": MAX_SEARCH_WORDS})
        return value


# `marketing_price` was this field's first name; it stays, same value, until clients have moved.
@extend_schema_serializer(deprecate_fields=["marketing_price"])
class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(help_text=_("The Ozon account's id."))
    # Ozon's ids are 64-bit: strings, so JavaScript clients do not round them.
    product_id = serializers.CharField()
    sku = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    product_url = serializers.CharField()
    marketing_seller_price = price_field(_("Ozon's marketing_seller_price: an upper bound of the showcase price."))
    marketing_price = price_field(
        _("Deprecated: the same value as marketing_seller_price, under its old name. Use marketing_seller_price."),
        source="marketing_seller_price",
    )
    min_price = price_field(_("Minimum price on Ozon."))
    old_price = price_field(_("Crossed-out price on Ozon."))
    price = price_field(_("Price on Ozon."))
    front_price = price_field(_("Showcase price: what the buyer sees."))
    mrpc = price_field(_("MRPC: the price to hold on the showcase."))
    available = serializers.BooleanField()
    active = serializers.BooleanField()
    front_price_timestamp = serializers.DateTimeField(allow_null=True)
    update_timestamp = serializers.DateTimeField(allow_null=True)
    showcase_hold = serializers.BooleanField(
        allow_null=True,
        read_only=True,
        help_text=_("Showcase hold for this product: true or false, or null to follow the runtime setting."),
    )


class ProductErrorSerializer(serializers.Serializer):
    product_id = serializers.CharField(allow_null=True, help_text=_("Null when the whole operation failed."))
    error = serializers.CharField()


class ProductFetchResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account synced: its id."))
    fetched = serializers.IntegerField(help_text=_("Products read from Ozon."))
    updated = serializers.IntegerField(help_text=_("Products created or refreshed."))
    errors = ProductErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)

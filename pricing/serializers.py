"""Request and response shapes of the pricing API (unique names: they are schema components)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.serializers import ProductErrorSerializer, price_field
from ozonprice.api_accounts import AccountReferenceField
from ozonprice.converters import INT64_MAX
from ozonprice.inputs import BoundedDateField, PlainDecimalField, SkuReferenceField
from ozonprice.models import PromoGuardMode
from ozonprice.pagination import MAX_PER_PAGE
from ozonprice.serializers import StrictBooleanField, StrictRequestSerializer

# One request may carry a large catalogue's worth of items, but not unbounded.
MAX_ITEMS = 10_000


class StrictItemSerializer(serializers.Serializer):
    """A list item that refuses keys it does not know (an item has no `initial_data` for the request check)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        return super().to_internal_value(data)


# Shapes are checked here (a bad one is a 400 and nothing is written); values
# (range, Ozon's discount rules, an unknown SKU) per item by the service, so one
# bad value never fails the rest.
class MrpcItemSerializer(StrictItemSerializer):
    """One SKU's new MRPC."""

    sku = SkuReferenceField(help_text=_("Ozon SKU or seller article (offer_id)."))
    mrpc = PlainDecimalField(help_text=_("MRPC in roubles, > 0, at most 2 decimals."))


class DiscountItemSerializer(StrictItemSerializer):
    """One SKU's new shown discount."""

    sku = SkuReferenceField(help_text=_("Ozon SKU or seller article (offer_id)."))
    discount = PlainDecimalField(help_text=_("Shown discount in %, from 0 to less than 90, at most 2 decimals."))


def items_unique(items: list[dict]) -> list[dict]:
    """A SKU named twice in one request is a mistake: which value should win? A 400 naming the repeat."""
    first: dict[str, int] = {}
    errors: dict[str, dict[str, list[str]]] = {}  # str keys: what JSON makes of an item's index anyway
    for index, item in enumerate(items):
        seen = first.setdefault(item["sku"], index)
        if seen != index:
            errors[str(index)] = {"sku": [_("Same SKU as item %(index)s.") % {"index": seen}]}
    if errors:
        raise serializers.ValidationError(errors)
    return items


class SetMrpcRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    items = serializers.ListField(child=MrpcItemSerializer(), max_length=MAX_ITEMS, allow_empty=False)

    def validate_items(self, items):
        return items_unique(items)


class SkuErrorSerializer(serializers.Serializer):
    sku = serializers.CharField()
    error = serializers.CharField()


class MrpcUpdatedSerializer(serializers.Serializer):
    sku = serializers.CharField()
    mrpc = price_field(_("The MRPC now set."))
    message = serializers.CharField()


class SetMrpcResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "partial", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    updated = MrpcUpdatedSerializer(many=True)
    errors = SkuErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)


class SetDiscountRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    items = serializers.ListField(child=DiscountItemSerializer(), max_length=MAX_ITEMS, allow_empty=False)

    def validate_items(self, items):
        return items_unique(items)


class DiscountUpdatedSerializer(serializers.Serializer):
    sku = serializers.CharField()
    discount = serializers.DecimalField(max_digits=5, decimal_places=2)
    old_price = price_field(_("The crossed-out price this discount gives at the SKU's MRPC (null without MRPC)."))
    message = serializers.CharField()


class SetDiscountResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "partial", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    updated = DiscountUpdatedSerializer(many=True)
    errors = SkuErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)


class ActivationResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    product_id = serializers.CharField()
    active = serializers.BooleanField()
    message = serializers.CharField()


class ProductUpdateRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    mrpc = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False, coerce_to_string=False
    )
    active = StrictBooleanField(required=False)


class StatusMessageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    message = serializers.CharField()


class ProductIdField(serializers.RegexField):
    """An Ozon product id as the contract has it: a string of digits (a JSON number is refused)."""

    def to_internal_value(self, data):
        # ASCII digits only (`\d` would take other scripts' digits), at most a 64-bit
        # integer: anything else is no Ozon id, and more than the database column holds.
        if not isinstance(data, str) or not re.fullmatch(r"[0-9]{1,19}", data) or int(data) > INT64_MAX:
            self.fail("invalid")
        return super().to_internal_value(data)


class ProductIdsField(serializers.ListField):
    child = ProductIdField(r"^[0-9]{1,19}$", error_messages={"invalid": _("A product id is a string of digits.")})


class UpdatePricesRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    product_ids = ProductIdsField(required=False, max_length=MAX_ITEMS)
    dry_run = StrictBooleanField(required=False, default=False)


class PlanRowSerializer(serializers.Serializer):
    account = serializers.IntegerField(help_text=_("The Ozon account's id."))
    product_id = serializers.CharField()
    offer_id = serializers.CharField()
    price = price_field(_("Price on Ozon now."))
    old_price = price_field(_("Crossed-out price on Ozon now."))
    showcase = price_field(_("Showcase price now."))
    target_price = price_field(_("Price to send."))
    target_old_price = price_field(_("Crossed-out price to send (0: none)."))
    shown_discount = serializers.DecimalField(
        max_digits=5, decimal_places=0, help_text=_("Discount buyers will see, %.")
    )
    held = serializers.BooleanField(
        default=False, help_text=_("Held for approval (Ozon's quarantine): not sent until a manager approves it.")
    )


# The run's counters, as the command line and the admin report them (MaintainResult).
UPDATE_PRICES_COUNTERS = {
    "planned": _("Changes planned to send."),
    "sent": _("Changes Ozon accepted."),
    "rejected": _("Changes Ozon refused."),
    "failed": _("Changes that failed without Ozon's answer."),
    "held": _("Changes held for approval (half the price or more: Ozon's quarantine); not sent."),
    "unchanged": _("SKUs whose prices Ozon already holds."),
    "in_flight": _("Changes already sent and not yet settled; not sent again."),
    "awaiting_ozon": _("Changes sent whose answer never came and that Ozon does not show yet."),
    "over_budget": _("Changes left for later: Ozon's 10 changes per product an hour are spent."),
    "refused_before": _("Changes Ozon refused in the last day; the scheduler does not repeat them."),
    "reconciled": _("Earlier changes settled by reading Ozon's prices back."),
}


class UpdatePricesResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "partial", "error", "skipped"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    updated = serializers.IntegerField(help_text=_("Changes Ozon accepted (in a dry run: changes planned)."))
    errors = ProductErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)
    plan = PlanRowSerializer(
        many=True,
        required=False,
        help_text=_("Only in a dry run: the changes to send, then those that would be held (held: true)."),
    )

    def get_fields(self):
        fields = super().get_fields()
        for name, help_text in UPDATE_PRICES_COUNTERS.items():
            fields[name] = serializers.IntegerField(default=0, help_text=help_text)
        return fields


class FetchPricesRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    product_ids = ProductIdsField(required=False, max_length=MAX_ITEMS)


class FetchPricesResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "partial", "error"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    fetched = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = ProductErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)


class GuardPromotionsRequestSerializer(StrictRequestSerializer):
    account = AccountReferenceField()
    product_ids = ProductIdsField(
        required=False,
        max_length=MAX_ITEMS,
        help_text=_("Guard these products (with MRPC, maintenance on or not); default: every SKU under maintenance."),
    )
    dry_run = StrictBooleanField(
        required=False, default=False, help_text=_("Report what breaks MRPC; change nothing on Ozon.")
    )


class GuardPromotionsResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "partial", "error", "skipped"])
    account = serializers.IntegerField(help_text=_("The Ozon account worked on: its id."))
    mode = serializers.ChoiceField(choices=PromoGuardMode.choices, help_text=_("The promotion guard's mode."))
    breaches = serializers.IntegerField(help_text=_("SKU–promotion pairs whose action price is under MRPC."))
    removed = serializers.IntegerField(help_text=_("Taken out of the promotion."))
    refused = serializers.IntegerField(help_text=_("Ozon refused to take them out (the errors say why)."))
    reported = serializers.IntegerField(help_text=_("Recorded only (report mode or a dry run)."))
    timers_renewed = serializers.IntegerField(help_text=_("Min-price timers renewed."))
    timers_lapsed = serializers.IntegerField(help_text=_("Min-price timers found run out."))
    requests_declined = serializers.IntegerField(help_text=_("Buyer discount requests below MRPC declined."))
    errors = ProductErrorSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)


class PriceHistoryParamsSerializer(serializers.Serializer):
    account = AccountReferenceField()
    product_id = ProductIdField(
        r"^[0-9]{1,19}$", required=False, error_messages={"invalid": _("A product id is a string of digits.")}
    )
    start_date = BoundedDateField(required=False)
    end_date = BoundedDateField(required=False)
    page = serializers.IntegerField(min_value=1, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=MAX_PER_PAGE, default=50)

    def validate(self, attrs):
        if attrs.get("start_date") and attrs.get("end_date") and attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError({"end_date": [_("end_date is before start_date.")]})
        return attrs


class PriceHistoryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(help_text=_("The Ozon account's id."))
    product_id = serializers.CharField(source="product")
    timestamp = serializers.DateTimeField()
    showcase_price = price_field(_("Showcase price when the change was sent."))
    old_price = price_field(_("The price before the change."), source="old")
    new_price = price_field(_("The price sent."))

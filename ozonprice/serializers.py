"""Request and response shapes of the runtime-settings API (unique names: schema components)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ozonprice.clients.outbound import validate_outbound_url
from ozonprice.models import DiscountRequestsMode, PromoGuardMode

# The settings API's fields that belong to the account named, and the account's field each sets.
ACCOUNT_SETTINGS = {
    "ozon_client_id": "client_id",
    "ozon_api_key": "api_key",
    "front_price_api_url": "front_price_api_url",
    "promo_guard_mode": "promo_guard_mode",
    "discount_requests_mode": "discount_requests_mode",
    "discount_decline_comment": "discount_decline_comment",
    "showcase_hold": "showcase_hold",
    "showcase_max_uplift": "showcase_max_uplift",
}
# A day: a longer interval is a mistake more often than a wish.
MAX_INTERVAL_MINUTES = 24 * 60
# Credentials travel as HTTP headers: visible ASCII only, no spaces or line breaks.
# `$(?!\n)`: the end of the text in Python (whose `$` also matches before a
# final newline) and in the JSON Schema (ECMA) reading of the same pattern.
header_safe = RegexValidator(r"^[\x21-\x7e]+$(?!\n)", _("Only visible ASCII characters, no spaces."))


class HttpUrlField(serializers.URLField):
    """An http(s) URL, checked once: DRF's own URL check (which also allows ftp) is replaced, not doubled."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)]
        self.validators.insert(0, URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"]))


class StrictCharField(serializers.CharField):
    """A JSON string only: a number is a wrong type (400), not quietly turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: 0, 1, "yes" and the like are a wrong type (400)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


# Account.name and Account.client_id are shorter; a longer value names nothing.
MAX_ACCOUNT_CHARS = 100
ACCOUNT_HELP = _(
    "The Ozon account: its id, name or Client-Id. May be left out when the caller may use one account only."
)


@extend_schema_field(
    {
        "oneOf": [
            # No minLength: a blank string is an account left out (`request_account`), as in a query string.
            {"type": "string", "maxLength": MAX_ACCOUNT_CHARS},
            {"type": "integer", "minimum": 1},
        ],
        "description": ACCOUNT_HELP,
    }
)
class AccountReferenceField(serializers.Field):
    """An account's id (a JSON integer or digits), name or Client-Id; returned as text for `request_account`."""

    default_error_messages = {
        "invalid": _("Give the account's id, name or Client-Id."),
        "too_long": _("At most 100 characters."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("help_text", ACCOUNT_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        if isinstance(data, int):
            if data < 1:
                self.fail("invalid")
            return str(data)
        text = data.strip()
        if len(text) > MAX_ACCOUNT_CHARS:
            self.fail("too_long")
        if any(ord(char) < 32 or ord(char) == 127 for char in text):
            self.fail("invalid")
        return text

    def to_representation(self, value: Any) -> Any:
        return value


class StrictRequestSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400, not silently ignored."""

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields) if isinstance(self.initial_data, dict) else set()
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        return attrs


class RuntimeSettingsSerializer(serializers.Serializer):
    # The settings as shown: the global ones and the named account's; secrets masked (a comment, not a
    # docstring: drf-spectacular would publish a docstring untranslated in the API docs).

    account = serializers.IntegerField(help_text=_("The id of the account whose settings these are."))
    monitoring_interval = serializers.IntegerField(help_text=_("Minutes between catalogue syncs."))
    price_update_interval = serializers.IntegerField(help_text=_("Minutes between price maintenance runs."))
    ozon_client_id = serializers.CharField()
    ozon_api_key = serializers.CharField(
        help_text=_('The stored Ozon Api-Key, masked: its last 4 characters ("****abcd"); empty when not set.')
    )
    front_price_api_url = serializers.CharField()
    secret_key = serializers.CharField(
        help_text=_('"****" when an API key is set, else empty: only its hash is stored.')
    )
    promo_guard_mode = serializers.ChoiceField(
        choices=PromoGuardMode.choices, help_text=_("Promotions under MRPC: off, report or remove.")
    )
    guard_interval = serializers.IntegerField(help_text=_("Minutes between storefront guard runs."))
    discount_requests_mode = serializers.ChoiceField(choices=DiscountRequestsMode.choices)
    discount_decline_comment = serializers.CharField()
    showcase_hold = serializers.BooleanField(help_text=_("Hold the showcase price at MRPC (SKUs may override it)."))
    showcase_max_uplift = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("The most the seller price may rise over MRPC, %.")
    )
    last_update = serializers.DateTimeField(
        allow_null=True, help_text=_("When the last successful catalogue sync (monitor_products) finished.")
    )
    next_update = serializers.DateTimeField(
        allow_null=True, help_text=_("When the next catalogue sync is scheduled; null without schedules.")
    )


class RuntimeSettingsUpdateSerializer(StrictRequestSerializer):
    """Absent fields keep their value; a blank `ozon_api_key` keeps the stored key."""

    account = AccountReferenceField(
        required=False,
        help_text=_("The account whose settings change: its id, name or Client-Id; may be left out with one account."),
    )
    monitoring_interval = serializers.IntegerField(min_value=1, max_value=MAX_INTERVAL_MINUTES, required=False)
    price_update_interval = serializers.IntegerField(min_value=1, max_value=MAX_INTERVAL_MINUTES, required=False)
    front_price_api_url = HttpUrlField(
        required=False,
        allow_blank=True,
        max_length=200,
        validators=[validate_outbound_url],
        help_text=_(
            "http(s) URL; blank switches the API off. A loopback, private, link-local or cloud-metadata "
            "address is refused (unless OUTBOUND_ALLOW_PRIVATE is on)."
        ),
    )
    ozon_client_id = StrictCharField(
        required=False, allow_blank=True, max_length=64, trim_whitespace=False, validators=[header_safe]
    )
    ozon_api_key = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=255,
        write_only=True,
        trim_whitespace=False,
        validators=[header_safe],
        help_text=_("Blank or absent: keep the stored key."),
    )
    promo_guard_mode = serializers.ChoiceField(choices=PromoGuardMode.choices, required=False)
    guard_interval = serializers.IntegerField(min_value=1, max_value=MAX_INTERVAL_MINUTES, required=False)
    discount_requests_mode = serializers.ChoiceField(choices=DiscountRequestsMode.choices, required=False)
    discount_decline_comment = StrictCharField(required=False, allow_blank=True, max_length=255)
    showcase_hold = StrictBooleanField(required=False)
    showcase_max_uplift = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), required=False
    )


class SettingsUpdateResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "error"])
    message = serializers.CharField()


class GeneratedSecretSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success", "error"])
    secret_key = serializers.CharField(help_text=_("The new API key. Shown this once; the previous key stops working."))

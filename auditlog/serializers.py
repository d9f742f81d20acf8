"""Request and response shapes of the API-log API (unique names: schema components)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ozonprice.api_accounts import AccountReferenceField
from ozonprice.inputs import BoundedDateField
from ozonprice.pagination import MAX_PER_PAGE

STATUS_WORDS = ("success", "error")


class ApiLogParamsSerializer(serializers.Serializer):
    account = AccountReferenceField()
    start_date = BoundedDateField(required=False, help_text=_("From this day (YYYY-MM-DD), inclusive."))
    end_date = BoundedDateField(required=False, help_text=_("To this day (YYYY-MM-DD), inclusive."))
    status = serializers.RegexField(
        r"^(success|error|[1-5][0-9][0-9])$(?!\n)",
        required=False,
        help_text=_('"success", "error", or an HTTP status code such as 502.'),
        error_messages={"invalid": _('Use "success", "error" or an HTTP status code (100-599).')},
    )
    page = serializers.IntegerField(min_value=1, default=1, help_text=_("Page number, from 1."))
    per_page = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, default=50, help_text=_("Rows per page, 1 to 500.")
    )

    def validate(self, attrs):
        if attrs.get("start_date") and attrs.get("end_date") and attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError({"end_date": [_("end_date is before start_date.")]})
        return attrs


class ApiLogItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(
        allow_null=True, help_text=_("The Ozon account's id; null for a row of no account (see the list's account).")
    )
    api_key = serializers.CharField(
        source="api_key_name", allow_blank=True, help_text=_("The name of the API key that made an inbound request.")
    )
    timestamp = serializers.DateTimeField()
    endpoint = serializers.CharField()
    method = serializers.CharField()
    status_code = serializers.IntegerField(allow_null=True, help_text=_("Null when no answer came."))
    response_time = serializers.FloatField(allow_null=True, help_text=_("Seconds."))
    products_count = serializers.IntegerField(allow_null=True)
    success = serializers.BooleanField()
    error_message = serializers.CharField(allow_blank=True)
    request_payload = serializers.CharField(
        allow_blank=True, help_text=_("JSON text, secrets redacted, cut at AUDIT_PAYLOAD_MAX_CHARS.")
    )
    response_payload = serializers.CharField(
        allow_blank=True, help_text=_("JSON text, secrets redacted, cut at AUDIT_PAYLOAD_MAX_CHARS.")
    )

"""Request and response shapes of the API-keys API (/api/keys): never a hash; the secret once, on creation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ozonprice.accounts import AccountError, account_get
from ozonprice.models import Account, ApiKey, ApiScope
from ozonprice.serializers import AccountReferenceField, StrictBooleanField, StrictCharField, StrictRequestSerializer


class ApiKeyCreateSerializer(StrictRequestSerializer):
    name = StrictCharField(max_length=100, help_text=_("Unique, for example ImageStudio."))
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ApiScope.choices),
        allow_empty=False,
        help_text=_("What the key may do: read, prices, images, settings."),
    )
    accounts = serializers.ListField(
        child=AccountReferenceField(required=True, allow_null=False, help_text=_("An account id, name or Client-Id.")),
        required=False,
        default=list,
        help_text=_("The accounts the key may use."),
    )
    all_accounts = StrictBooleanField(required=False, default=False, help_text=_("Every account, also later ones."))
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_accounts(self, references: list[str]) -> list[Account]:
        try:
            return [account_get(reference) for reference in references]
        except AccountError as error:
            raise serializers.ValidationError(str(error)) from None


class ApiKeyAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# A key as listed: what it may do and when it was used; no hash, no secret.
# (A comment, not a docstring: drf-spectacular would publish it untranslated.)
class ApiKeySerializer(serializers.ModelSerializer):
    accounts = ApiKeyAccountSerializer(many=True, read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiScope.choices))

    class Meta:
        model = ApiKey
        fields = (
            "id",
            "name",
            "prefix",
            "scopes",
            "all_accounts",
            "accounts",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "last_used_from",
            "created_by",
            "created_at",
        )
        read_only_fields = fields


class ApiKeyCreatedSerializer(serializers.Serializer):
    key = ApiKeySerializer()
    secret = serializers.CharField(help_text=_("The key's secret (header X-API-Key). Shown this once."))

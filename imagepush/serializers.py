"""Shapes of `POST /api/v1/ozon/push-images` (SPEC §6), as ImageStudio sends and reads them.

The request serializer documents the body; the body itself is checked by
`imagepush.validation`, which reports every problem per picture in the
`{"field", "index", "url", "reason"}` shape DRF's field errors cannot give.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from imagepush.models import ImagePush
from ozonprice.api_accounts import AccountReferenceField


class PushCredentialSerializer(serializers.Serializer):
    client_id = serializers.CharField(help_text=_("Ozon Client-Id."))
    api_key = serializers.CharField(help_text=_("Ozon Api-Key: used for this push only, never stored or logged."))


class PushImagesRequestSerializer(serializers.Serializer):
    credential = PushCredentialSerializer(
        required=False, allow_null=True, help_text=_("Optional: the stored Ozon credentials are used when absent.")
    )
    account = AccountReferenceField(
        help_text=_(
            "Without credential: the account whose stored credentials push (id, name or Client-Id); "
            "may be left out when the caller may use one account only."
        )
    )
    product_id = serializers.IntegerField(min_value=1, help_text=_("Ozon product_id."))
    images = serializers.ListField(
        child=serializers.URLField(),
        min_length=1,
        help_text=_(
            "http(s) URLs, the first is the main image; at most the configured limit (30 by default). "
            "They replace all of the product's pictures."
        ),
    )
    images360 = serializers.ListField(
        child=serializers.URLField(),
        required=False,
        max_length=0,
        help_text=_("Must be empty: Ozon removed 360° images on 10 Jul 2026."),
    )
    color_image = serializers.URLField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_("Marketing color image; left out, the product has none afterwards (Ozon replaces all pictures)."),
    )


class PushUpdatedSerializer(serializers.Serializer):
    images = serializers.IntegerField(help_text=_("Images sent."))
    images360 = serializers.IntegerField(help_text=_("Always 0: Ozon has no 360° images any more."))
    color_image = serializers.BooleanField(help_text=_("Whether a color image was sent."))


class PushResultSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    updated = PushUpdatedSerializer()
    current_images = serializers.ListField(
        child=serializers.CharField(), help_text=_("The pictures Ozon holds now, the main image first.")
    )


class PushImagesSuccessSerializer(serializers.Serializer):
    success = serializers.BooleanField(help_text=_("Always true here."))
    data = PushResultSerializer()  # type: ignore[assignment]  # a response field named data (the API's shape)


class PushProblemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The request field: product_id, images, images360, color_image, …"))
    index = serializers.IntegerField(allow_null=True, help_text=_("Position in the list; null for the whole field."))
    url = serializers.CharField(allow_null=True, help_text=_("The offending value, if any."))
    reason = serializers.CharField()


class PushImagesInvalidSerializer(serializers.Serializer):
    success = serializers.BooleanField(help_text=_("Always false here."))
    errors = PushProblemSerializer(many=True)  # type: ignore[assignment]  # a response field named errors (the API's shape)


class PushImagesErrorSerializer(serializers.Serializer):
    success = serializers.BooleanField(help_text=_("Always false here."))
    error = serializers.CharField(help_text=_('"Ozon API error: …", or why the request was refused.'))
    detail = serializers.CharField(required=False, help_text=_("The same message, for generic API clients."))


def push_images_success(push: ImagePush) -> dict:
    """The success body (the seed plan's `_build_response`): what was sent, what Ozon holds now."""
    return {
        "success": True,
        "data": {
            "product_id": push.product_id,
            "updated": {
                "images": len(push.images),
                # Ozon has no 360° images any more: a push never carries one.
                "images360": 0,
                "color_image": bool(push.color_image),
            },
            "current_images": list(push.current_images or []),
        },
    }

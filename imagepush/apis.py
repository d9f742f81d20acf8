"""`POST /api/v1/ozon/push-images`: ImageStudio's push, in the shapes of SPEC §6.

Every answer carries `success`. HTTP statuses:

* 200 — Ozon imported the pictures (or already held exactly these) and they were read back;
* 400 — the request is invalid: `{"success": false, "errors": [{field, index, url, reason}]}`;
* 401 / 403 — no or wrong `X-API-Key` (a staff session works too); 415 — not JSON; 429 — throttled;
* 404 — Ozon does not know the product;
* 502 — Ozon refused or failed: an API error, a task that ended `failed`, pictures that
  could not be read back;
* 503 — Ozon's picture import quota is used up; `Retry-After` says when to come back;
* 504 — Ozon accepted the import but had not finished it within the wait; it may still.

Every failure other than 400 is `{"success": false, "error": "Ozon API error: …"}`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from imagepush.models import PushSource
from imagepush.serializers import (
    PushImagesErrorSerializer,
    PushImagesInvalidSerializer,
    PushImagesRequestSerializer,
    PushImagesSuccessSerializer,
    push_images_success,
)
from imagepush.services import Kind, PushOutcome, account_for_client_id, image_push_submit
from ozonprice.api_accounts import request_account, request_account_check, request_every_account
from ozonprice.auth import Need
from ozonprice.models import Account

# The request's documented fields; anything else is ignored.
REQUEST_FIELDS = ("credential", "product_id", "images", "images360", "color_image")
# Without a credential, the account whose stored credentials push (id, name or Client-Id).
ACCOUNT_FIELD = "account"

STATUS_BY_KIND = {
    Kind.INVALID: status.HTTP_400_BAD_REQUEST,
    Kind.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    Kind.OZON: status.HTTP_502_BAD_GATEWAY,
    Kind.QUOTA: status.HTTP_503_SERVICE_UNAVAILABLE,
    Kind.PENDING: status.HTTP_504_GATEWAY_TIMEOUT,
}


def _error(description):
    return OpenApiResponse(PushImagesErrorSerializer, description=description)


EXAMPLE_REQUEST = OpenApiExample(
    "ImageStudio",
    request_only=True,
    value={
        "credential": {"client_id": "123456", "api_key": "your-ozon-api-key"},
        "product_id": 123456,
        "images": ["https://r2.example.com/img1.jpg", "https://r2.example.com/img2.jpg"],
        "images360": [],
        "color_image": "https://r2.example.com/color.jpg",
    },
)


def push_account(request: Request, data: Any, named: Any) -> Account | None:
    """The account a push works on, as far as the caller may use it (403 otherwise).

    A `credential` selects the account with its Client-Id (none matching: the push is the caller's
    own, of no account); without one, the account `named`, or the caller's only one (400 naming
    `account` when that is not clear).
    """
    credential = data.get("credential") if isinstance(data, dict) else None
    if credential is not None:
        client_id = credential.get("client_id") if isinstance(credential, dict) else None
        account = account_for_client_id(client_id) if isinstance(client_id, str) else None
        if account is not None:
            request_account_check(request, account)
        return account
    if named is None and request_every_account(request) and not Account.objects.exists():
        # No account yet: the push is checked as before, and refused for want of stored credentials.
        return None
    if named is not None and not isinstance(named, (str, int)) or isinstance(named, bool):
        raise ValidationError({ACCOUNT_FIELD: [_("Give the account's id, name or Client-Id.")]})
    return request_account(request, named)


def push_response(outcome: PushOutcome) -> Response:
    """The documented answer for one push outcome."""
    if outcome.ok:
        return Response(push_images_success(outcome.push))
    if outcome.kind == Kind.INVALID:
        return Response({"success": False, "errors": outcome.errors}, status=status.HTTP_400_BAD_REQUEST)
    headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
    code = STATUS_BY_KIND.get(outcome.kind, status.HTTP_502_BAD_GATEWAY)
    return Response({"success": False, "error": outcome.push.error}, status=code, headers=headers)


class PushImagesApi(APIView):
    parser_classes = [JSONParser]
    # A push is recorded as an ImagePush row: its "add" permission is the right to push.
    required = {"POST": Need("images", ("imagepush.add_imagepush",))}

    @extend_schema(
        operation_id="ozon_push_images",
        summary=_("Push images to an Ozon product"),
        description=_(
            "Replaces all pictures of one Ozon product (the first image becomes the main one) through "
            "/v2/product/pictures/import, waits for Ozon's import task and answers the pictures Ozon "
            "holds afterwards. `credential` selects the account with its Client-Id (its key is used for this "
            "push only); without it the stored credentials of `account` (or of the only account) are used. Every push is "
            "recorded. 404: Ozon does not know the product; 502: Ozon refused or failed; 503: Ozon's "
            "picture quota is used up (see Retry-After); 504: Ozon had not finished in time."
        ),
        request=PushImagesRequestSerializer,
        examples=[EXAMPLE_REQUEST],
        responses={
            200: PushImagesSuccessSerializer,
            400: OpenApiResponse(PushImagesInvalidSerializer, description=_("Invalid request: every problem listed.")),
            401: _error(_("No or wrong API key.")),
            403: _error(_("Logged in, but without the permission this operation needs.")),
            404: _error(_("Ozon does not know the product.")),
            415: _error(_("The body is not JSON.")),
            429: _error(_("Too many requests from this client (the API's throttle).")),
            502: _error(_("Ozon refused or failed; nothing is reported as done that is not.")),
            503: _error(_("Ozon's picture import quota is used up; retry after Retry-After seconds.")),
            504: _error(_("Ozon accepted the import but had not finished it in time.")),
        },
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        data = request.data
        named = data.get(ACCOUNT_FIELD) if isinstance(data, dict) else None
        if isinstance(data, dict):
            data = {key: data[key] for key in REQUEST_FIELDS if key in data}
        try:
            account = push_account(request, data, named)
        except ValidationError as error:
            problems = [
                {"field": field, "index": None, "url": None, "reason": str(message)}
                for field, messages in error.detail.items()  # type: ignore[union-attr]
                for message in messages
            ]
            return Response({"success": False, "errors": problems}, status=status.HTTP_400_BAD_REQUEST)
        outcome = image_push_submit(
            data=data,
            source=PushSource.API,
            requested_by=str(getattr(request.user, "username", "") or "api"),
            account=account,
        )
        return push_response(outcome)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParseError):
            # A body that is not JSON is invalid input like any other: the documented 400.
            problem = {"field": "body", "index": None, "url": None, "reason": str(exc.detail)}
            return Response({"success": False, "errors": [problem]}, status=status.HTTP_400_BAD_REQUEST)
        # Auth, media-type and throttle errors keep the API's `detail` and gain ImageStudio's `success`/`error`.
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "success" not in response.data:
            response.data = {"success": False, "error": str(response.data.get("detail", "")), **response.data}
        return response

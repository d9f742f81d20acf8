"""The API's one exception handler: every error is JSON of one shape.

    {"detail": "<what went wrong>"}
    {"detail": "Invalid input.", "errors": {"<field>": ["<message>", ...]}}   (400)

Validation errors always name the field (`non_field_errors` when none
applies); query-string problems say "Invalid query parameters.".
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from ozonprice.accounts import AccountError
from ozonprice.clients.http import ApiError

logger = logging.getLogger(__name__)

SERVICE_LABELS = {"ozon": "Ozon", "front_price": "Front Price"}


class NotFoundError(LookupError):
    """Something the request names does not exist; the handler answers 404 with this message.

    Services raise it (or a subclass) and views let it pass: no view maps it by hand.
    """


class QueryParamsInvalid(ValidationError):
    """Bad query parameters; raised by `validate_query_params`."""

    summary = _("Invalid query parameters.")


def validate_query_params(serializer_class, request) -> dict[str, Any]:
    """The validated query string of `request`, or a 400 naming each bad parameter."""
    # A plain dict, not the QueryDict: DRF reads a missing boolean in "HTML
    # form" input as False, and an absent filter must mean "no filter".
    serializer = serializer_class(data=request.query_params.dict())
    if not serializer.is_valid():
        raise QueryParamsInvalid(serializer.errors)
    return serializer.validated_data


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() or a service refusing bad input: still a 400.
        exc = ValidationError(as_serializer_error(exc))
    if isinstance(exc, ApiError):
        return _upstream_error_response(exc)
    if isinstance(exc, NotFoundError):
        exc = NotFound(str(exc))
    if isinstance(exc, AccountError):
        # A service resolving its account (none named, several or none set up): a 400 naming `account`.
        exc = ValidationError({exc.field: [str(exc)]})

    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling logs it
    if isinstance(exc, ValidationError):
        response.data = {
            "detail": str(getattr(exc, "summary", _("Invalid input."))),
            "errors": _field_errors(response.data),
        }
    elif not (isinstance(response.data, dict) and "detail" in response.data):
        response.data = {"detail": str(getattr(exc, "detail", exc))}
    return response


def _field_errors(data: Any) -> dict[str, Any]:
    if isinstance(data, dict):
        return data
    return {api_settings.NON_FIELD_ERRORS_KEY: data if isinstance(data, list) else [data]}


def _upstream_error_response(exc: ApiError) -> Response:
    """Ozon or the Front Price API failed us: 502, with their message."""
    logger.warning("upstream error in API view: %s %s: %s", exc.service, exc.endpoint, exc.message)
    service = SERVICE_LABELS.get(exc.service, exc.service)
    detail = _("%(service)s API error: %(message)s") % {"service": service, "message": exc.message}
    return Response({"detail": str(detail)}, status=status.HTTP_502_BAD_GATEWAY)


class ErrorResponseSerializer(serializers.Serializer):
    """An error: what went wrong and, for invalid input, the messages by field."""

    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # a response field named errors (the API's shape)
        child=serializers.JSONField(),
        required=False,
        help_text=_(
            "Validation errors by field name: a list of messages, or for a nested field (a list item) "
            "the same shape again, keyed by its index or name."
        ),
    )


# The error answers every API operation documents (drf-spectacular `responses=`).
AUTH_ERRORS = {
    401: OpenApiResponse(ErrorResponseSerializer, description=_("No or wrong API key.")),
    403: OpenApiResponse(
        ErrorResponseSerializer, description=_("Logged in, but without the permission this operation needs.")
    ),
}
BAD_REQUEST = {400: OpenApiResponse(ErrorResponseSerializer, description=_("The request body is invalid."))}


def api_not_found(request, exception=None):
    """404 outside any view (a path that matches no route): JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return defaults.page_not_found(request, exception)


def api_server_error(request):
    """500: JSON under /api/ (the shape every API error has), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Server error."))}, status=500)
    return defaults.server_error(request)

"""Under /api/ every error answer is JSON, DEBUG on or off.

Django answers some errors itself, outside any API view: a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, an unknown path, an exception in a middleware,
and with DEBUG on its technical pages replace the handlers in ozonprice.urls.
A client of the API must still get `{"detail": ...}`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.response import Response

API_PREFIX = "/api/"
# Headers of the original answer a client still needs from the JSON one.
KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow", "Vary")


def body_too_large_response() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(
        {
            "detail": _("The request body is too large."),
            "errors": {"body": [_("At most %(limit)d bytes.") % {"limit": limit}]},
        },
        status=400,
    )


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiJsonErrorsMiddleware:
    """First in MIDDLEWARE: it sees every answer, including those Django made from an exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # The same test Django makes when the body is read (RequestDataTooBig), made
        # before anything reads it, so the answer can name the body.
        if limit is not None and _declared_length(request) > limit:
            return body_too_large_response()
        response = self.get_response(request)
        if response.status_code < 400 or isinstance(response, Response) or _is_json(response):
            return response
        return _as_json(response)


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _as_json(response: HttpResponse) -> JsonResponse:
    code = response.status_code
    if code == 404:
        detail = _("Not found.")
    elif code >= 500:
        detail = _("Server error.")
    else:
        try:
            detail = HTTPStatus(code).phrase
        except ValueError:
            detail = _("Request failed.")
    replacement = JsonResponse({"detail": str(detail)}, status=code)
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement

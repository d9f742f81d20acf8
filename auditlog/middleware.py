"""One `ApiLogEntry` per inbound `/api/` request (direction "in", service "api").

Outbound calls are logged by the HTTP seam (ozonprice/clients/http.py). The
request body is read before the view runs (afterwards its stream is spent);
payloads are stored through `payload_for_log`: secret-like keys masked, the
caller's own key scrubbed, size capped. A request refused for its credentials
or permissions (401, 403), or from a caller without valid credentials (such as
a throttled one), is logged as metadata only: who cannot use the API must not
be able to fill the log with bodies. The schema and docs pages are not API
operations and are not logged.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, RawPostDataException, UnreadablePostError

from auditlog.models import Direction
from auditlog.services import api_log_record
from ozonprice.metrics import api_request_observe
from ozonprice.models import ApiKey
from ozonprice.redaction import redact

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
NOT_LOGGED = ("/api/schema/", "/api/docs/", "/api/redoc/")
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
REFUSED = frozenset({401, 403})


class ApiAuditMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) or request.path.startswith(NOT_LOGGED):
            return self.get_response(request)
        request_text = _request_text(request)
        started = time.monotonic()
        response = self.get_response(request)
        elapsed = time.monotonic() - started
        try:
            _record(request, response, request_text=request_text, elapsed=elapsed)
        except Exception:  # the audit must never turn an answer into a 500
            logger.exception("audit row for %s %s not written", request.method, request.path)
        return response


def _request_text(request: HttpRequest) -> str:
    if request.method in BODYLESS:
        return json.dumps(request.GET.dict(), ensure_ascii=False) if request.GET else ""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return f"[body of {length} bytes not read]"
    try:
        return request.body.decode("utf-8", errors="replace")
    except (RequestDataTooBig, RawPostDataException, UnreadablePostError, OSError):
        return "[body not readable]"


def _response_data(response: HttpResponse) -> tuple[str, Any]:
    if response.streaming:
        return "[streamed body]", None
    content_type = response.get("Content-Type", "")
    if "json" not in content_type:
        return (f"[{content_type or 'body'} of {len(response.content)} bytes]" if response.content else ""), None
    text = response.content.decode("utf-8", errors="replace")
    try:
        return text, json.loads(text)
    except ValueError:
        return text, None


def _record(request: HttpRequest, response: HttpResponse, *, request_text: str, elapsed: float) -> None:
    response_text, data = _response_data(response)
    success = response.status_code < 400
    if response.status_code in REFUSED or not _authenticated(request):
        request_text = f"[{len(request_text)} characters not stored: the caller was refused]" if request_text else ""
        response_text = ""
    presented = [request.META.get("HTTP_X_API_KEY", ""), _bearer(request)]
    api_log_record(
        direction=Direction.INBOUND,
        service="api",
        endpoint=request.path,
        method=request.method or "",
        status_code=response.status_code,
        response_time=elapsed,
        products_count=_products_count(data, request_text),
        success=success,
        error_message="" if success else _error_message(data, response),
        request_payload=request_text,
        response_payload=response_text,
        secrets=[value for value in presented if value],
        api_key_name=_api_key_name(request),
    )
    route = request.resolver_match.route if request.resolver_match else "unmatched"
    api_request_observe(endpoint=route, method=request.method or "", status=response.status_code, seconds=elapsed)


def _authenticated(request: HttpRequest) -> bool:
    # DRF puts the API caller (a user, the API key's client, or None) on the Django request.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _api_key_name(request: HttpRequest) -> str:
    # DRF puts the authenticated key on the Django request as `auth` (ozonprice.auth.ApiKeyAuthentication).
    # A session call leaves it blank: the row is a key's, and a username there would read as one.
    key = getattr(request, "auth", None)
    return key.name if isinstance(key, ApiKey) else ""


def _bearer(request: HttpRequest) -> str:
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _products_count(data: Any, request_text: str) -> int | None:
    """How many products a request touched, read off the documented answer shapes."""
    if isinstance(data, dict):
        if isinstance(data.get("items"), list):
            return len(data["items"])
        if isinstance(data.get("fetched"), int):
            return data["fetched"]
        if isinstance(data.get("updated"), list):
            return len(data["updated"]) + len(data.get("errors") or [])
        if isinstance(data.get("updated"), int) and not isinstance(data.get("updated"), bool):
            return data["updated"]
    try:
        body = json.loads(request_text) if request_text.startswith(("{", "[")) else None
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("items", "product_ids"):
            if isinstance(body.get(key), list):
                return len(body[key])
    return None


def _error_message(data: Any, response: HttpResponse) -> str:
    if isinstance(data, dict):
        parts = [str(data.get("detail") or data.get("error") or data.get("message") or "")]
        if data.get("errors"):
            parts.append(json.dumps(redact(data["errors"]), ensure_ascii=False, default=str))
        message = " ".join(part for part in parts if part)
        if message:
            return message[:2000]
    return response.reason_phrase or ""

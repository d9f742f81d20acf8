"""Record, redact and purge audit rows."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from auditlog.models import ApiLogEntry, Direction
from ozonprice.metrics import outbound_call_observe
from ozonprice.runs import RunSummary, run_summary_log, task_run

logger = logging.getLogger(__name__)

REDACTED = "***"
# JSON keys whose values never reach the log, wherever they sit in a payload.
SECRET_KEY_RE = re.compile(r"(?i)(api[_-]?key|secret|password|token|credential|authorization|cookie|client[_-]?id)")
SECRET_HEADERS = frozenset({"api-key", "client-id", "authorization", "cookie", "x-api-key"})


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every secret-like key's value masked."""
    if isinstance(value, dict):
        return {k: (REDACTED if SECRET_KEY_RE.search(str(k)) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


# The same keys found in text that is not (or no longer) JSON: a JSON slice cut
# short, JSON-like text with unquoted or single-quoted keys, a form body
# (`api_key=…&client_id=…`, `credential[api_key]=…`), `key: value` lines. The
# value is a quoted string (even one cut short) or a bare run up to the next
# separator. An unquoted key starts at a token boundary, so a long run of
# letters is one candidate, not one per character.
_SECRET_WORD = SECRET_KEY_RE.pattern.removeprefix("(?i)")
_KEY_CHARS = r"[\w.%\-\[\]]"
_SECRET_PAIR_RE = re.compile(
    # Each key is taken whole (possessive) after a look-ahead for the secret
    # word, so a key of many repeated words is not re-scanned per word.
    rf"""(?P<key>"(?=[^"\n]*?{_SECRET_WORD})[^"\n]*+"|'(?=[^'\n]*?{_SECRET_WORD})[^'\n]*+'"""
    rf"""|(?<!{_KEY_CHARS})(?={_KEY_CHARS}*?{_SECRET_WORD}){_KEY_CHARS}++)"""
    r"""(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^,&;\s{}\[\]"'][^,&;\r\n{}\[\]]*)""",
    re.IGNORECASE,
)


def _masked_pair(match: re.Match) -> str:
    value, key = match.group("value"), match.group("key")
    # Keep the text's own quoting: JSON stays JSON-like, a form body stays a form body.
    quote = value[0] if value[:1] in ('"', "'") else ('"' if key.startswith('"') else "")
    return f"{key}{match.group('sep')}{quote}{REDACTED}{quote}"


def redact_text(text: str) -> str:
    """Mask secret-like keys' values in text that is not valid JSON (no parsing)."""
    return _SECRET_PAIR_RE.sub(_masked_pair, text)


# A value this long is a secret wherever it stands: it cannot occur in other text by chance.
SECRET_MIN_LENGTH = 8


def _whole_token(value: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])")


def scrub(text: str, *, secrets: Iterable[str] = (), identifiers: Iterable[str] = ()) -> str:
    """Replace known secret values, and account identifiers as whole tokens.

    A secret of SECRET_MIN_LENGTH characters or more is replaced anywhere (a
    Telegram token sits glued inside a URL path, `/bot<token>/`). A shorter one
    is no real key, yet it may have been configured: it is replaced only as a
    whole token, so a key "Ke" leaves "Invalid Api-Key" readable.

    An identifier such as Ozon's numeric Client-Id is matched only where no
    letter or digit touches it, so a product id that merely contains its
    digits is left intact.
    """
    for secret in secrets:
        if len(secret or "") >= SECRET_MIN_LENGTH:
            text = text.replace(secret, REDACTED)
        elif secret:
            text = _whole_token(secret).sub(REDACTED, text)
    for identifier in identifiers:
        if identifier:
            text = _whole_token(identifier).sub(REDACTED, text)
    return text


def payload_for_log(
    text: str, *, secrets: Iterable[str] = (), identifiers: Iterable[str] = (), limit: int | None = None
) -> str:
    """A payload as stored: secret-like keys masked, known secrets scrubbed, size capped.

    A payload within the cap is parsed and redacted key by key. A larger one
    (a 1000-product Ozon page is megabytes) is cut to the cap first and the
    kept slice is redacted as text, so the cost does not grow with the body;
    the cut is marked. Known secret values are scrubbed before any cut.
    """
    limit = settings.AUDIT_PAYLOAD_MAX_CHARS if limit is None else limit
    if not text:
        return ""
    text = scrub(text, secrets=secrets, identifiers=identifiers)
    if len(text) > limit:
        return f"{redact_text(text[:limit])}…[truncated {len(text) - limit} chars]"
    try:
        return json.dumps(redact(json.loads(text)), ensure_ascii=False, default=str)
    except ValueError:
        return redact_text(text)


def api_log_record(
    *,
    direction: str,
    service: str,
    endpoint: str,
    method: str,
    status_code: int | None,
    response_time: float | None,
    success: bool,
    products_count: int | None = None,
    error_message: str = "",
    request_payload: str = "",
    response_payload: str = "",
    secrets: Iterable[str] = (),
    identifiers: Iterable[str] = (),
    run_id: str = "",
) -> ApiLogEntry:
    hidden: dict[str, Any] = {"secrets": [s for s in secrets if s], "identifiers": [i for i in identifiers if i]}
    error_message = scrub(error_message, **hidden)
    endpoint = scrub(endpoint, **hidden)  # a bot token travels in the URL path
    if direction == Direction.OUTBOUND:
        outbound_call_observe(service=service, endpoint=endpoint, status_code=status_code, success=success)
    return ApiLogEntry.objects.create(
        timestamp=timezone.now(),
        direction=direction,
        service=service,
        endpoint=_storable(endpoint)[:500],
        method=_storable(method)[:10],
        status_code=status_code,
        response_time=response_time,
        products_count=products_count,
        success=success,
        error_message=_storable(error_message),
        request_payload=_storable(payload_for_log(request_payload, **hidden)),
        response_payload=_storable(payload_for_log(response_payload, **hidden)),
        run_id=run_id[:32],
    )


def _storable(text: str) -> str:
    """PostgreSQL text cannot hold NUL; a request may carry one. Keep it visible, escaped."""
    return text.replace("\x00", "\\u0000")


@task_run("api_logs_purge")
def api_logs_purge(*, older_than_days: int = 30) -> int:
    """Delete audit rows past retention; returns how many went."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = ApiLogEntry.objects.filter(timestamp__lt=cutoff).delete()
    run_summary_log(
        logger,
        RunSummary(f"purge ok: {deleted} audit rows older than {older_than_days} days", counts={"deleted": deleted}),
    )
    return deleted

"""Record, redact and purge audit rows."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from auditlog.models import ApiLogEntry, Direction
from ozonprice.redaction import redact, redact_text, scrub
from ozonprice.runs import RunSummary, run_summary_log, task_run

logger = logging.getLogger(__name__)


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
    text, left_out = _scrubbed_prefix(text, limit=limit, secrets=list(secrets), identifiers=list(identifiers))
    if left_out:
        return f"{redact_text(text)}…[truncated {left_out} chars]"
    try:
        return json.dumps(redact(json.loads(text)), ensure_ascii=False, default=str)
    except ValueError:
        return redact_text(text)


def _scrubbed_prefix(text: str, *, limit: int, secrets: list[str], identifiers: list[str]) -> tuple[str, int]:
    """At most `limit` characters of the scrubbed text, and how many are left out.

    Scrubbing a whole megabyte page to keep 16 KB of it cost more than the
    call did (the sync logs four such pages per 1000 products), so only a
    prefix is scrubbed: one whose last `longest` characters (where a secret
    may be cut in two) lie past the cut, grown until that holds.
    """
    longest = max((len(value) for value in (*secrets, *identifiers) if value), default=0)
    size = limit + longest
    while size < len(text):
        head = scrub(text[:size], secrets=secrets, identifiers=identifiers)
        if len(head) - longest >= limit:
            return head[:limit], len(head) - limit + len(text) - size
        size *= 2
    text = scrub(text, secrets=secrets, identifiers=identifiers)
    return (text[:limit], len(text) - limit) if len(text) > limit else (text, 0)


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
    account_id: int | None = None,
    api_key_name: str = "",
) -> ApiLogEntry:
    hidden: dict[str, Any] = {"secrets": [s for s in secrets if s], "identifiers": [i for i in identifiers if i]}
    error_message = scrub(error_message, **hidden)
    endpoint = scrub(endpoint, **hidden)  # a bot token travels in the URL path
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
        account_id=account_id,
        api_key_name=api_key_name[:100],
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


def outbound_call_record(sender: object, signal: object = None, **call: Any) -> None:
    """Receiver of the HTTP seam's `outbound_call` signal: every call to Ozon and the others, one row each."""
    api_log_record(direction=Direction.OUTBOUND, **call)

"""Redaction: secrets and account identifiers never reach a log, an audit row or an error message.

The core's HTTP seam scrubs its errors with it; the audit log redacts the payloads it stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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

"""The one HTTP seam: every outgoing call of ozonprice goes through `HttpSeam`.

It owns the `requests.Session` and gives every call a `(connect, read)`
timeout, `allow_redirects=False` (Ozon's credentials are custom headers that
requests would forward to a redirect target), a rate budget shared per account
(`ratelimit.py`: paused by a 429's `Retry-After`, and by `Ratelimit-Remaining: 0`),
retries where repeating is safe, one `outbound_call` signal per call with secrets
redacted (the audit log records it: the core names no app), and one error type, `ApiError`.
"""

from __future__ import annotations

import contextvars
import json
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests
from django.dispatch import Signal

from ozonprice.clients.errors import ApiError, RateLimited, is_permanent_status
from ozonprice.clients.outbound import GUARDED_POOLS, OutboundRefused, outbound_url_refusal
from ozonprice.clients.ratelimit import RateBudget
from ozonprice.metrics import outbound_call_observe
from ozonprice.redaction import scrub
from ozonprice.runs import current_run_id

logger = logging.getLogger(__name__)

Count = int | Callable[[Any], int] | None

# Sent once per outgoing call (unless the client is built with `log_calls=False`), with keyword
# arguments service, endpoint, method, status_code, response_time, success, products_count,
# error_message, request_payload, response_payload, secrets, identifiers and run_id. The audit
# log's receiver stores it (auditlog.apps); the payloads are raw: the receiver redacts them
# with `secrets` and `identifiers` before anything is stored.
outbound_call = Signal()
# Set in a worker thread of `concurrency.calls_concurrent`: the records are held there and sent
# by the calling thread, so every database write stays on it.
held_calls: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar("held_calls", default=None)


@dataclass
class RetryPolicy:
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 60.0
    jitter: float = 0.5

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_max)
        backoff = min(self.backoff_base * (2**attempt), self.backoff_max)
        return backoff + random.uniform(0, self.jitter * backoff)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (Ozon sends seconds); None if absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def parse_remaining(value: str | None) -> int | None:
    """Calls left from a `Ratelimit-Remaining` header; None if absent or unreadable."""
    if not value:
        return None
    try:
        remaining = float(value.strip())
    except ValueError:
        return None
    return math.floor(remaining) if math.isfinite(remaining) else None


class GuardedAdapter(requests.adapters.HTTPAdapter):
    """Direct connections go only to checked public addresses (`outbound.py`).

    Through a proxy (HTTPS_PROXY) requests uses a proxy manager instead: the
    proxy resolves the name, and only the check before the call applies.
    """

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(GUARDED_POOLS)


@dataclass
class Response:
    status: int
    data: Any
    headers: dict[str, str]
    elapsed: float


@dataclass
class HttpSeam:
    """A base URL and its credentials, with the behaviour every call shares.

    Headers are sent but never stored. The values in `secrets` (an Api-Key, a
    bot token) are scrubbed from every stored payload, endpoint and error
    message; `identifiers` (Ozon's numeric Client-Id) too, but only as whole
    tokens, so product ids that merely contain their digits stay intact.

    `outbound_guard=True` for a base URL a manager sets (the Front Price API):
    no call reaches a private address (`outbound.py`), checked after DNS
    before the call and again by the connection itself.
    """

    service: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    timeout: tuple[float, float] = (5.0, 60.0)
    # Shared by every client of the same account (`ratelimit.rate_budget`); None: no limit.
    budget: RateBudget | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    parse_error: Callable[[Any], tuple[str | int | None, str]] | None = None
    log_calls: bool = True
    outbound_guard: bool = False
    calls: dict[str, int] = field(default_factory=dict)
    # The API log's service name when it differs from `service` (calls made with a caller's own credentials).
    log_service: str = ""
    # The install's Ozon account making the calls (`OzonClient.of`), for the audit rows; None: no account.
    account_id: int | None = None

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
        self.session.headers.update(self.headers)
        if self.outbound_guard:
            self.session.mount("http://", GuardedAdapter())
            self.session.mount("https://", GuardedAdapter())
        self.secrets = [v for v in self.secrets if v]
        self.identifiers = [v for v in self.identifiers if v]
        self._calls_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    # --- public verbs -------------------------------------------------------
    def post(self, path: str, payload: Any, *, idempotent: bool, products_count: Count = None) -> Response:
        """POST JSON. `idempotent=True` for reads (Ozon reads are POSTs too)."""
        body = json.dumps(payload, ensure_ascii=False, default=_json_default)
        return self._call("POST", path, body=body, params=None, idempotent=idempotent, count=products_count)

    def get(self, path: str, params: dict[str, Any] | None = None, *, products_count: Count = None) -> Response:
        return self._call("GET", path, body=None, params=params, idempotent=True, count=products_count)

    # --- the loop -----------------------------------------------------------
    def _call(self, method: str, path: str, *, body: str | None, params, idempotent: bool, count: Count) -> Response:
        attempt = 0
        while True:
            try:
                return self._attempt(method, path, body=body, params=params, idempotent=idempotent, count=count)
            except ApiError as error:
                if not self._may_retry(error, idempotent=idempotent) or attempt >= self.retry.max_retries:
                    raise
                delay = self.retry.delay(attempt, error.retry_after)
                logger.warning(
                    "%s %s failed (%s); retry %d/%d in %.1fs",
                    self.service,
                    path,
                    error.message,
                    attempt + 1,
                    self.retry.max_retries,
                    delay,
                )
                self.sleep(delay)
                attempt += 1

    @staticmethod
    def _may_retry(error: ApiError, *, idempotent: bool) -> bool:
        if error.permanent:
            return False
        if idempotent:
            return True
        # A write is repeated only when it certainly did not run: the connection
        # was never made, or the server refused it for the rate limit.
        return isinstance(error, RateLimited) or (error.status is None and not error.outcome_unknown)

    def _attempt(self, method: str, path: str, *, body: str | None, params, idempotent: bool, count: Count) -> Response:
        if self.budget is not None:
            self.budget.acquire()
        url = f"{self.base_url}{path}"
        with self._calls_lock:  # several threads may call at once (calls_concurrent)
            self.calls[path] = self.calls.get(path, 0) + 1
        started = time.monotonic()
        record = {"method": method, "path": path, "body": body, "params": params}
        try:
            if self.outbound_guard and (refusal := outbound_url_refusal(url)) is not None:
                raise OutboundRefused(str(refusal))
            raw = self.session.request(
                method,
                url,
                data=body.encode() if body is not None else None,
                params=params,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except OutboundRefused as exc:
            # Permanent: the address is refused by policy (OUTBOUND_ALLOW_PRIVATE), not by the network.
            error = self._error(f"refused to call {self.service}: {exc}", path, permanent=True)
            self._log(record, started, status=None, text="", error=error, count=None)
            raise error from None
        except requests.ConnectionError as exc:
            # ConnectTimeout is a ConnectionError: the server never saw the request.
            unknown = not isinstance(exc, requests.ConnectTimeout) and _sent(exc)
            error = self._error(f"cannot reach {self.service}: {type(exc).__name__}", path, unknown=unknown)
            self._log(record, started, status=None, text="", error=error, count=None)
            raise error from None
        except requests.Timeout as exc:
            error = self._error(
                f"{self.service} did not answer in {self.timeout[1]:g}s ({type(exc).__name__})", path, unknown=True
            )
            self._log(record, started, status=None, text="", error=error, count=None)
            raise error from None
        except requests.RequestException as exc:
            error = self._error(f"request to {self.service} failed: {type(exc).__name__}", path, unknown=True)
            self._log(record, started, status=None, text="", error=error, count=None)
            raise error from None

        elapsed = time.monotonic() - started
        self._spend(raw)
        # JSON is UTF-8 (RFC 8259); requests' charset guessing is slow on megabyte bodies.
        text = raw.content.decode(raw.encoding or "utf-8", errors="replace")
        data, parse_failed = _parse_json(raw.content)
        # Some Ozon writes document a bare 200 with no body (/v1/product/action/timer/update,
        # /v1/seller-actions/products/delete): success, `data` None. A read that needs a body
        # fails in its client's parser instead, as a malformed response.
        if 200 <= raw.status_code < 300 and (not parse_failed or not raw.content.strip()):
            self._log(record, started, status=raw.status_code, text=text, error=None, count=_count(count, data))
            return Response(raw.status_code, data, dict(raw.headers), elapsed)

        error = self._status_error(raw, data, path, parse_failed=parse_failed)
        self._log(record, started, status=raw.status_code, text=text, error=error, count=None)
        raise error

    def _spend(self, raw: requests.Response) -> None:
        """Tell the shared budget what the service said about it (docs/ozon-api.md §7)."""
        if self.budget is None:
            return
        if raw.status_code == 429:
            retry_after = parse_retry_after(raw.headers.get("Retry-After"))
            if retry_after is not None:
                # Everyone sharing the account waits, not only this thread; capped like the retry itself.
                self.budget.pause(min(retry_after, self.retry.retry_after_max))
            elif raw.headers.get("Item-Retry-After") is None:
                self.budget.pause_to_next_second()
            # An item quota (Item-Retry-After, pictures) is not the rate: other calls may go on.
            return
        remaining = parse_remaining(raw.headers.get("Ratelimit-Remaining"))
        if remaining is not None and remaining <= 0:
            self.budget.pause_to_next_second()

    def _status_error(self, raw: requests.Response, data: Any, path: str, *, parse_failed: bool) -> ApiError:
        status = raw.status_code
        if 200 <= status < 300:
            return self._error(
                f"{self.service} sent a response that is not JSON ({path})", path, status=status, permanent=True
            )
        if 300 <= status < 400:
            return self._error(
                f"{self.service} answered {status} redirect to {raw.headers.get('Location', '?')}; redirects are not followed",
                path,
                status=status,
                permanent=True,
            )
        code, message = (None, "")
        if not parse_failed and self.parse_error is not None:
            code, message = self.parse_error(data)
        if not message:
            message = raw.reason or "error"
        retry_after = parse_retry_after(raw.headers.get("Retry-After"))
        if retry_after is None and (minutes := parse_retry_after(raw.headers.get("Item-Retry-After"))) is not None:
            # Ozon's item quotas (picture imports) give MINUTES in Item-Retry-After (docs/ozon-api.md §5a).
            retry_after = minutes * 60
        return self._error(
            f"{self.service} {status} on {path}: {message}",
            path,
            status=status,
            code=code,
            permanent=is_permanent_status(status),
            retry_after=retry_after,
        )

    def _error(
        self, message: str, path: str, *, status=None, code=None, permanent=False, retry_after=None, unknown=False
    ) -> ApiError:
        error_type = RateLimited if status == 429 else ApiError
        return error_type(
            self.scrub(message),
            service=self.service,
            endpoint=path,
            permanent=permanent,
            status=status,
            code=code,
            retry_after=retry_after,
            outcome_unknown=unknown,
        )

    def scrub(self, text: str) -> str:
        return scrub(text, secrets=self.secrets, identifiers=self.identifiers)

    def _log(
        self, record: dict, started: float, *, status: int | None, text: str, error: ApiError | None, count
    ) -> None:
        if not self.log_calls:
            return
        request_payload = record["body"] if record["body"] is not None else json.dumps(record["params"] or {})
        service = self.log_service or self.service
        endpoint = self.scrub(record["path"])  # a bot token travels in the URL path
        outbound_call_observe(service=service, endpoint=endpoint, status_code=status, success=error is None)
        call = dict(
            service=service,
            endpoint=endpoint,
            method=record["method"],
            status_code=status,
            response_time=time.monotonic() - started,
            products_count=count,
            success=error is None,
            error_message=error.message if error else "",
            request_payload=request_payload,
            response_payload=text,
            secrets=self.secrets,
            identifiers=self.identifiers,
            run_id=current_run_id(),  # the task run making the call, if any
            account_id=self.account_id,
        )
        held = held_calls.get()
        if held is not None:  # a worker thread of calls_concurrent: the calling thread sends it
            held.append(call)
        else:
            outbound_call.send(sender=HttpSeam, **call)


def _sent(exc: requests.ConnectionError) -> bool:
    """Whether a connection error may have happened after the request was sent."""
    text = str(exc)
    return "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text


def _parse_json(content: bytes) -> tuple[Any, bool]:
    if not content:
        return None, True
    try:
        return json.loads(content, parse_float=Decimal), False
    except ValueError:
        return None, True


def _count(count: Count, data: Any) -> int | None:
    """Products in a call, for the log only; a shape error surfaces in the client instead."""
    if not callable(count):
        return count
    try:
        return count(data)
    except (KeyError, TypeError, AttributeError):
        return None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")

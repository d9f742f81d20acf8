"""Ozon's global error answers and the sandbox's fault injection.

`fail_next` queues error answers (or odd pages) for a path, `answer_late_next`
holds answers back past a client's read timeout after carrying the request out.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from ozonprice.sandbox.routing import OzonError, Reply, encode


# Ozon's global error answers (docs/ozon-api.md §7), with gRPC status codes.
# Functions, not shared instances: an exception raised in many threads at once
# must not share one traceback.
def unauthenticated() -> OzonError:
    return OzonError(401, 16, "Invalid Api-Key, please contact support")


def rate_limited() -> OzonError:
    return OzonError(429, 8, "You have reached request rate limit per second", {"Retry-After": "1"})


def internal_error() -> OzonError:
    return OzonError(500, 13, "Internal error")


def not_found() -> OzonError:
    return OzonError(404, 5, "Not Found")


def method_not_allowed() -> OzonError:
    return OzonError(405, 12, "method is not allowed")


class FaultInjection:
    """Faults an `OzonSandbox` answers with; the state lives on the sandbox."""

    _lock: threading.Lock
    _injected: dict[str, deque[Reply | None]]
    _late: dict[str, deque[float]]

    def fail_next(
        self,
        path: str,
        count: int = 1,
        status: int = 500,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        after: int = 0,
    ) -> None:
        """Answer the next `count` requests to `path` with `status` (before the handler runs).

        `after` lets that many requests through first: a fault in the middle of a
        listing, such as `fail_next("/v3/product/list", status=200, body=<empty page>, after=1)`.

        Without `body`, Ozon's body for that status is used (429 → code 8 with
        `Retry-After: 1` unless `headers` say otherwise, 401 → code 16, else 13).
        A `str`/`bytes` body is sent as is (to simulate garbage).
        """
        template = {401: unauthenticated, 429: rate_limited}.get(status, internal_error)()
        if body is None:
            payload = encode(OzonError(status, template.code, template.message).body())
        elif isinstance(body, bytes):
            payload = body
        elif isinstance(body, str):
            payload = body.encode()
        else:
            payload = encode(body)
        merged = {**(template.headers if headers is None and status == 429 else {}), **(headers or {})}
        with self._lock:
            queue = self._injected.setdefault(path, deque())
            queue.extend([None] * after)  # None: answered normally
            queue.extend(Reply(status, payload, dict(merged)) for _ in range(count))

    def answer_late_next(self, path: str, count: int = 1, *, after_s: float = 5.0) -> None:
        """Run the next `count` requests to `path` as usual (an import is taken and applied), but send
        the answer only `after_s` real seconds later: a client with a shorter read timeout sees a
        timeout for a request Ozon carried out."""
        if after_s < 0:
            raise ValueError("after_s must be ≥ 0")
        with self._lock:
            self._late.setdefault(path, deque()).extend([after_s] * count)

    def clear_failures(self) -> None:
        with self._lock:
            self._injected.clear()
            self._late.clear()

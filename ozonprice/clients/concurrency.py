"""Several calls in flight, every database write on the calling thread.

`calls_concurrent(fn, items, concurrency=n)` runs `fn(item)` on up to `n`
worker threads and yields an `Outcome` per item, in the order of `items`.
Why threads, not asyncio: the clients are synchronous `requests` code behind
one seam (timeouts, retries, redaction, the audit signal); a bounded pool
keeps all of it, and the wait is the network's, which threads share well.

The rules that keep it as safe as one call at a time:
- `items` is consumed on the calling thread, one item just before its call is
  dispatched, and never more than `concurrency` ahead of what was yielded: a
  generator that plans a batch (database reads) or checks a lease right before
  each dispatch does so on the caller's thread, at the moment it matters.
- Workers only talk HTTP. The seam's audit records made in a worker are held
  and sent (the `outbound_call` signal) on the calling thread as each outcome
  is taken, so SQLite keeps one writer, a test's transaction sees every row,
  and nothing is lost when the caller stops early: the calls already in flight
  finish and their records are sent before the generator ends.
- The run id (a context variable) travels with each call.
- A worker that opened a database connection after all closes it.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from ozonprice.clients.http import HttpSeam, held_calls, outbound_call


@dataclass
class Outcome[T, R]:
    """One item's call: its value, or the exception it raised (never raised here: the caller decides)."""

    item: T
    value: R | None = None
    error: BaseException | None = None
    calls: list[dict[str, Any]] = field(default_factory=list, repr=False)


def _in_worker[T, R](fn: Callable[[T], R], item: T) -> Outcome[T, R]:
    outcome: Outcome[T, R] = Outcome(item)
    held_calls.set(outcome.calls)
    try:
        outcome.value = fn(item)
    except BaseException as error:  # handed to the caller with the item it belongs to
        outcome.error = error
    finally:
        connections.close_all()  # only this thread's connections: a worker should have opened none
    return outcome


def _released[T, R](outcome: Outcome[T, R]) -> Outcome[T, R]:
    """Send the worker's held audit records, on this (the calling) thread."""
    for call in outcome.calls:
        outbound_call.send(sender=HttpSeam, **call)
    outcome.calls.clear()
    return outcome


def calls_concurrent[T, R](fn: Callable[[T], R], items: Iterable[T], *, concurrency: int) -> Generator[Outcome[T, R]]:
    """`fn(item)` for every item on up to `concurrency` threads; outcomes in the order of `items`.

    With `concurrency` 1 (or less) everything runs on the calling thread, one
    call after the other, exactly as without this helper.
    """
    if concurrency <= 1:
        for item in items:
            outcome: Outcome[T, R] = Outcome(item)
            try:
                outcome.value = fn(item)
            except Exception as error:
                outcome.error = error
            yield outcome
        return
    source = iter(items)
    pending: deque[Future[Outcome[T, R]]] = deque()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="ozon-call") as pool:
        try:
            while True:
                while len(pending) < concurrency:
                    item = next(source, _END)
                    if item is _END:
                        break
                    context = contextvars.copy_context()  # the run id, per call (a context runs once at a time)
                    pending.append(pool.submit(context.run, _in_worker, fn, item))
                if not pending:
                    return
                yield _released(pending.popleft().result())
        finally:
            # The caller stopped early (or failed): what is in flight finishes, and its records are kept.
            while pending:
                _released(pending.popleft().result())


_END: Any = object()

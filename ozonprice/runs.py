"""Task runs: one short id per run, carried by a contextvar into log lines and audit rows.

A run is opened by whoever starts work on behalf of someone: a scheduled task
(`once_per_slot`), a management command, an admin background job, or the
service itself when called directly (API, admin action). Runs nest: an inner
`task_run` joins the run already open, so the task's name and id stay the
outermost ones, and a monitor run's sync and showcase read share one id.

This module is imported by the logging configuration (`settings.LOGGING`):
it must not import Django models.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, Protocol

# 12 hex digits: short enough to read aloud and search, 48 random bits so two
# runs of one retention period never share one.
RUN_ID_LENGTH = 12


@dataclass(frozen=True)
class Run:
    id: str
    task: str


_current: ContextVar[Run | None] = ContextVar("ozonprice_run", default=None)


def current_run() -> Run | None:
    return _current.get()


def current_run_id() -> str:
    """The open run's id, or "" outside a run (a request's own calls, the shell)."""
    run = _current.get()
    return run.id if run is not None else ""


def run_id_new() -> str:
    return uuid.uuid4().hex[:RUN_ID_LENGTH]


@contextmanager
def task_run(task: str) -> Iterator[Run]:
    """Open a run named `task` for the duration of the block, or join the one already open.

    Also a decorator (`@task_run("ozon_sync")`): each call is its own run.
    """
    current = _current.get()
    if current is not None:
        yield current
        return
    run = Run(id=run_id_new(), task=task)
    token = _current.set(run)
    try:
        yield run
    finally:
        _current.reset(token)


class RunContextFilter(logging.Filter):
    """Stamp every record with the open run's `run_id` and `task` (installed on the handlers).

    Values given in `extra=` win. Outside a run the attributes are absent, so a
    JSON line carries no empty `run_id`; the text formatter copes with both.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        run = _current.get()
        if run is not None:
            if not hasattr(record, "run_id"):
                record.run_id = run.id
            if not hasattr(record, "task"):
                record.task = run.task
        return True


class Summarised(Protocol):
    @property
    def ok(self) -> bool: ...

    def summary(self) -> str: ...


@dataclass(kw_only=True)
class RunResult[E]:
    """What every run's result shares: its item errors, a run-wide error, a skip, and its summary line.

    A result adds its own counters and says its name (`run_name`, and
    `heading()` where the line names more, e.g. a dry run) and its counts
    (`details()`); the line is then
    `<heading> ok|FAILED: <details>[; error: <error>]`, or
    `<run_name> skipped: <skip_reason>` when another run held the lease.
    """

    errors: list[E] = field(default_factory=list)
    error: str = ""
    skipped: bool = False

    run_name: ClassVar[str] = ""
    skip_reason: ClassVar[str] = "another run is in progress"
    # Fields a result does not use, left out of its log counts (`result_counts`).
    uncounted: ClassVar[tuple[str, ...]] = ()

    @property
    def ok(self) -> bool:
        return not self.error

    def heading(self) -> str:
        return self.run_name

    def headline(self) -> str:
        return f"{self.heading()} {'ok' if self.ok else 'FAILED'}"

    def details(self) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        if self.skipped:
            return f"{self.run_name} skipped: {self.skip_reason}"
        text = f"{self.headline()}: {self.details()}"
        return text + (f"; error: {self.error}" if self.error else "")


@dataclass
class RunSummary:
    """A run's outcome where the service has no result dataclass of its own (image pushes, the purge)."""

    text: str
    ok: bool = True
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return self.text


def result_counts(result: Any) -> dict[str, int]:
    """The counters of a result dataclass: its int fields, the length of its lists
    (item errors, failures) and the total of its per-endpoint call counts."""
    if not is_dataclass(result):
        return {}
    counts: dict[str, int] = {}
    uncounted = getattr(result, "uncounted", ())
    for item in fields(result):
        if item.name in uncounted:
            continue
        value = getattr(result, item.name)
        if isinstance(value, bool):  # a flag, not a count
            continue
        if isinstance(value, int):
            counts[item.name] = value
        elif isinstance(value, list):
            counts[item.name] = len(value)
        elif isinstance(value, Mapping) and value and all(isinstance(v, int) for v in value.values()):
            counts[item.name] = sum(value.values())
    return counts


def run_summary_log(
    logger: logging.Logger,
    result: Summarised,
    *,
    counts: dict[str, int] | None = None,
    ok: bool | None = None,
) -> None:
    """Log a run's one-line summary (INFO, or ERROR when it failed) with the run's id, task and counts.

    The counts travel as a field (`extra`), so a JSON line carries them as
    numbers a log shipper can sum, next to the readable text.
    """
    run = _current.get()
    failed = not (result.ok if ok is None else ok)
    logger.log(
        logging.ERROR if failed else logging.INFO,
        "%s",
        result.summary(),
        extra={
            "run_id": run.id if run is not None else "",
            "task": run.task if run is not None else "",
            "counts": _counts(result) if counts is None else counts,
        },
    )


def _counts(result: Summarised) -> dict[str, int]:
    if isinstance(result, RunSummary):
        return dict(result.counts)
    return result_counts(result)

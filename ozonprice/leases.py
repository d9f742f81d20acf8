"""Run a background task at most once at a time, across processes and hosts."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from ozonprice.models import TaskLease

logger = logging.getLogger(__name__)

# Longer than django-q2's task timeout, so a killed worker's lease expires on its own.
DEFAULT_TTL = timedelta(minutes=20)


@contextmanager
def task_lease(name: str, *, ttl: timedelta = DEFAULT_TTL) -> Iterator[bool]:
    """Yield True while this run holds the lease `name`, False if another run does."""
    token = TaskLease.acquire(name, ttl=ttl)
    if token is None:
        logger.info("%s skipped: another run holds the lease", name)
        yield False
        return
    try:
        yield True
    finally:
        TaskLease.release(name, token)


def slot_claim(name: str, *, minutes: int) -> bool:
    """Claim the current schedule slot of task `name`; False if a run already had it.

    Two clusters (or a broker re-delivery) may start the same slot twice, and
    on SQLite django-q2's scheduler has no row lock to stop that. The claim
    lives for half the interval: a duplicate of this slot is skipped, the next
    slot is free again.
    """
    return TaskLease.acquire(f"slot:{name}", ttl=timedelta(minutes=minutes) / 2) is not None

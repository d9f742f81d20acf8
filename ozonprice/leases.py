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

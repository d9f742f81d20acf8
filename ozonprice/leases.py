"""Run a background task at most once at a time, across processes and hosts.

A lease lives for a short TTL (`TASK_LEASE_TTL_SECONDS`, 2 minutes by
default) and a heartbeat thread renews it every TTL/3 while the run is alive.
A killed worker stops renewing, so its lease frees within the TTL; a live run
keeps its lease however long it takes, and learns (`Lease.lost`) when a
renewal could not keep it, so it stops before doing more.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection

from ozonprice.models import TaskLease

logger = logging.getLogger(__name__)

# Renewals per TTL: one may fail (or wait out SQLite's busy timeout) and the
# next still lands before the lease runs out.
BEATS_PER_TTL = 3


def lease_ttl() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_TTL_SECONDS)


class Lease:
    """A lease this run holds; a heartbeat thread renews it until `stop()`."""

    def __init__(self, name: str, token: str, *, ttl: timedelta, expires: float) -> None:
        self.name, self.token, self.ttl = name, token, ttl
        self._expires = expires  # time.monotonic() when the last renewal runs out
        self._taken = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def lost(self) -> bool:
        """True once another run took the lease, or no renewal got through for 2/3 of the TTL.

        The margin leaves the last third of the TTL to finish the step in hand;
        the caller checks before it starts another one.
        """
        margin = self.ttl.total_seconds() / BEATS_PER_TTL
        return self._taken.is_set() or time.monotonic() >= self._expires - margin

    def start(self) -> None:
        # Inside a transaction the acquisition is not committed yet: another
        # connection cannot see (PostgreSQL) or write (SQLite) the row, and
        # would wait on this run's row lock. Such a run is not renewed;
        # `lost` turns True when its TTL is about to run out.
        if connection.in_atomic_block:
            logger.debug("lease %s taken inside a transaction: no heartbeat", self.name)
            return
        # In the run's context, so the heartbeat's warnings carry the run's id.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._beat,), name=f"lease-heartbeat:{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            # A renewal in flight may wait for SQLite's busy timeout; one that
            # lands after the release finds no owner and changes nothing.
            self._thread.join(timeout=max(self.ttl.total_seconds(), 30))

    def _beat(self) -> None:
        interval = self.ttl.total_seconds() / BEATS_PER_TTL
        wait = interval
        try:
            while not self._stopping.wait(wait):
                started = time.monotonic()
                try:
                    renewed = TaskLease.renew(self.name, self.token, ttl=self.ttl)
                except DatabaseError as error:
                    logger.warning("lease %s: renewal failed (%s); trying again", self.name, error)
                    connection.close()  # the next attempt opens a fresh connection
                    wait = interval / BEATS_PER_TTL
                    continue
                if not renewed:
                    logger.error("lease %s: lost to another run (or expired); the run stops", self.name)
                    self._taken.set()
                    return
                self._expires = started + self.ttl.total_seconds()
                wait = interval
        finally:
            connection.close()  # this thread's own connection


@contextmanager
def task_lease(name: str, *, ttl: timedelta | None = None) -> Iterator[Lease | None]:
    """Yield the held `Lease` while this run holds the lease `name`, None if another run does.

    A long run checks `lease.lost` before each step that must not happen twice.
    """
    ttl = ttl or lease_ttl()
    started = time.monotonic()
    token = TaskLease.acquire(name, ttl=ttl)
    if token is None:
        logger.info("%s skipped: another run holds the lease", name)
        yield None
        return
    lease = Lease(name, token, ttl=ttl, expires=started + ttl.total_seconds())
    lease.start()
    try:
        yield lease
    finally:
        lease.stop()
        TaskLease.release(name, token)


def slot_claim(name: str, *, minutes: int) -> bool:
    """Claim the current schedule slot of task `name`; False if a run already had it.

    Two clusters (or a broker re-delivery) may start the same slot twice, and
    on SQLite django-q2's scheduler has no row lock to stop that. The claim
    lives for half the interval and is never renewed nor released: a
    duplicate of this slot is skipped, the next slot is free again.
    """
    return TaskLease.acquire(f"slot:{name}", ttl=timedelta(minutes=minutes) / 2) is not None

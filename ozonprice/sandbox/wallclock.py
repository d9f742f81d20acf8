"""Wall-clock dates on the sandbox clock.

The sandbox measures time with `clock` (monotonic seconds, or a fake clock in
tests), but Ozon's promotion answers carry dates. `WallClock` maps one onto
the other from a fixed start: `start` is the date at the moment the sandbox
was built, so advancing a fake clock by a day moves every date by a day, and
a sandbox built with the same `start` dates its promotions the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

# Protobuf's zero timestamp, as Ozon writes a date that is not set (e.g. a request not moderated yet).
UNSET_DATE = "0001-01-01T00:00:00Z"


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second, as Ozon writes promotion dates ("2026-11-22T09:46:38Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WallClock:
    def __init__(self, clock: Callable[[], float], start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("wall_start must be timezone-aware")
        self.clock = clock
        self.origin = clock()
        self.start = (start or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)

    def at(self, moment: float) -> datetime:
        """The date of a sandbox-clock moment."""
        return self.start + timedelta(seconds=moment - self.origin)

    def moment(self, date: datetime) -> float:
        """The sandbox-clock moment of a date."""
        return self.origin + (date - self.start).total_seconds()

    def now(self) -> datetime:
        return self.at(self.clock())

"""The sandbox's wall clock: dates follow its (fake) clock from a fixed start, written as Ozon writes them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ozonprice.sandbox.wallclock import WallClock, iso

START = datetime(2026, 11, 22, 9, 46, 38, 500_000, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_advancing_the_clock_moves_the_date_by_as_much():
    clock = FakeClock()
    wall = WallClock(clock, start=START)

    clock.now += 86_400

    assert wall.now() == START.replace(microsecond=0) + timedelta(days=1)


def test_moment_and_at_are_inverse():
    wall = WallClock(FakeClock(), start=START)
    date = datetime(2026, 12, 1, tzinfo=UTC)

    assert wall.at(wall.moment(date)) == date


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        WallClock(FakeClock(), start=datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test


def test_iso_is_utc_to_the_second_with_a_z():
    moscow = timezone(timedelta(hours=3))

    assert iso(datetime(2026, 11, 22, 12, 46, 38, 999, tzinfo=moscow)) == "2026-11-22T09:46:38Z"

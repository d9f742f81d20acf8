"""`manage.py bench` end to end at a small size: stdout is only the Markdown tables `make bench` tees into docs/bench/."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.ozonprice.test_bench import database_url_beside

STEPS = [
    "sync",
    "showcase read, Ozon",
    "showcase read, Front Price API",
    "maintenance, all changing",
    "maintenance, none changing",
    "verification",
]


@pytest.mark.django_db
def test_the_bench_prints_only_tables_with_a_row_per_step_and_latency_and_the_rate_floor(tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url_beside(tmp_path), "OZON_RATE_LIMIT": "40"}
    child = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--sizes", "200", "--latencies", "0,30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert child.returncode == 0, child.stderr[-3000:]

    title, *lines = child.stdout.rstrip("\n").split("\n")
    assert title.startswith(f"ozonprice benchmark · database {connection.vendor} ·")
    # Nothing but table rows and the blank lines between the tables (no "Cache table ... already exists.").
    assert all(line == "" or (line.startswith("|") and line.endswith("|")) for line in lines), child.stdout
    assert "Cache table" not in child.stdout
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("| 200 ")]
    steps = [row for row in rows if len(row) == 10]
    assert [(row[1], row[2]) for row in steps] == [(latency, step) for latency in ("0", "30") for step in STEPS]
    for _size, _latency, step, calls, _queries, wall, busy, floor, ratio, _rss in steps:
        made, bound = re.fullmatch(r"(\d+) \((\d+)\)", calls).groups()
        assert made == bound, step  # serial or concurrent, the calls stay at the floor
        rate = 25 if "Front Price" in step else 40  # FRONT_PRICE_RATE_LIMIT's default, OZON_RATE_LIMIT
        assert float(floor) == pytest.approx(int(made) / rate, abs=0.05), step
        assert ratio == "—" if int(made) == 0 else float(ratio) >= 0, step
        assert 0 <= float(busy) <= float(wall) + 0.05, step
    # At 30 ms, a step with calls waits at least that per call in series (or per batch in flight).
    slow_sync = next(row for row in steps if row[1:3] == ["30", "sync"])
    assert float(slow_sync[5]) >= 0.03
    pages = [row for row in rows if len(row) == 4]
    assert len(pages) == 1  # the page latencies: once a size


@pytest.mark.django_db
def test_with_two_accounts_each_step_runs_for_both_one_after_the_other_and_at_once_a_row_each(tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url_beside(tmp_path), "OZON_RATE_LIMIT": "40"}
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--sizes", "200"]
    child = subprocess.run(  # noqa: S603 - our own manage.py
        [*command, "--latencies", "30", "--accounts", "2"], capture_output=True, text=True, env=env, timeout=300
    )

    assert child.returncode == 0, child.stderr[-3000:]
    _title, *lines = child.stdout.rstrip("\n").split("\n")
    assert all(line == "" or (line.startswith("|") and line.endswith("|")) for line in lines), child.stdout
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("| 200 ")]
    steps = [row for row in rows if len(row) == 10]
    # Step by step, the two ways side by side.
    assert [row[2] for row in steps] == [
        f"{step} (2 accounts{way})" for step in STEPS for way in (", one after the other", " at once")
    ]
    for _size, latency, step, calls, _queries, wall, _busy, floor, _ratio, _rss in steps:
        assert latency == "30"
        made, bound, first, second = map(int, re.fullmatch(r"(\d+) \((\d+)\) = (\d+) \+ (\d+)", calls).groups())
        # 100 SKUs each: the same calls for each account's half of the catalogue, at the floor.
        assert made == bound == first + second and first == second, step
        at_once = step.endswith("at once)")
        if "Front Price" in step:  # one server, one budget (FRONT_PRICE_RATE_LIMIT's default) either way
            expected = made / 25
        else:  # each Client-Id its own budget: at once, the busiest account's calls
            expected = (max(first, second) if at_once else made) / 40
        assert float(floor) == pytest.approx(expected, abs=0.05), step
        assert float(wall) >= 0, step
    sync_calls = [row[3] for row in steps if row[2].startswith("sync ")]
    assert sync_calls == ["16 (16) = 8 + 8"] * 2  # 100 products each: 4 calls a page, a page of each kind
    assert len([row for row in rows if len(row) == 4]) == 1  # the page latencies: once a size

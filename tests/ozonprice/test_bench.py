"""The benchmark commands' pieces: the query counter, peak memory, a throw-away database, the sandbox beside us."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from catalog.models import Sku
from ozonprice.bench import QueryCounter, peak_rss_mb, sandbox, sandbox_stats
from ozonprice.sandbox.server import OzonSandbox

# Run in a process of its own, as the bench commands run: pytest's connection is on its own test database.
THROWAWAY = """
import json, os
from django.db import connection
from catalog.models import Sku
from ozonprice.bench import SANDBOX_API_KEY, bench_account, throwaway_database
from ozonprice.models import Account
before = connection.settings_dict["NAME"]
with throwaway_database():
    inside = connection.settings_dict["NAME"]
    migrated = "catalog_sku" in connection.introspection.table_names()
    empty = not Sku.objects.exists()
    bench_account()
    stored = Account.objects.get().api_key == SANDBOX_API_KEY
print(json.dumps({"before": str(before), "inside": str(inside), "after": str(connection.settings_dict["NAME"]),
                  "migrated": migrated, "empty": empty, "stored": stored,
                  "inside_left": connection.vendor == "sqlite" and os.path.exists(inside)}))
"""


@pytest.mark.django_db
def test_the_query_counter_counts_each_statement_and_passes_results_through(account):
    Sku.objects.create(account=account, product_id=1, offer_id="A-1", name="lamp")
    counter = QueryCounter()

    with connection.execute_wrapper(counter):
        names = list(Sku.objects.values_list("name", flat=True))
        total = Sku.objects.count()

    assert (names, total, counter.count) == (["lamp"], 1, 2)


def test_peak_memory_is_the_process_high_water_mark_in_mib():
    status = Path("/proc/self/status").read_text()
    high_water_kib = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])

    assert peak_rss_mb() == pytest.approx(high_water_kib / 1024, abs=5)


def database_url_beside(tmp_path) -> str:
    """A database for the child that is not pytest's own (its throw-away copy must not clobber ours)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'main.sqlite3'}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=parts.path + "_bench_child"))


@pytest.mark.django_db
def test_a_throwaway_database_is_fresh_and_migrated_and_the_connection_goes_back_after(tmp_path):
    # As `make bench` runs on a machine without FIELD_ENCRYPTION_KEY (DEBUG off): the bench account's key is stored.
    env = {**os.environ, "DATABASE_URL": database_url_beside(tmp_path), "DEBUG": "false"}
    env.pop("FIELD_ENCRYPTION_KEY", None)

    child = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "-c", THROWAWAY],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )

    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["migrated"] and seen["empty"] and seen["stored"]
    assert seen["inside"] != seen["before"]
    assert seen["after"] == seen["before"]  # not the dropped throw-away database
    assert not seen["inside_left"]


def refused(url: str) -> bool:
    try:
        socket.create_connection((urlsplit(url).hostname, urlsplit(url).port), timeout=0.5).close()
    except OSError:
        return True
    return False


def test_the_sandbox_runs_beside_us_while_in_use_and_stops_after():
    with sandbox(products=2, seed=1, latency_ms=0) as url:
        assert url.startswith("http://127.0.0.1:")
        assert not refused(url)

    assert refused(url)


def test_a_sandbox_that_cannot_start_is_a_command_error(settings, tmp_path):
    settings.BASE_DIR = tmp_path  # no manage.py there: the child exits at once

    with pytest.raises(CommandError, match="the sandbox did not start"), sandbox(products=1, seed=1, latency_ms=0):
        pass


@pytest.mark.e2e
def test_the_sandbox_stats_count_requests_and_its_own_processing_without_the_latency_sleep():
    with OzonSandbox(products=300, latency_ms=150) as double:
        for page in (1, 2):
            with urlopen(f"{double.url}/api/v1/seller/bench?page={page}", timeout=5) as answer:  # noqa: S310
                assert answer.status == 200
        requests, processing_s = sandbox_stats(double.url)

    assert requests == 3  # two pages and the stats request itself
    assert 0 < processing_s < 0.15  # two pages of work, not 2 × 150 ms of sleep

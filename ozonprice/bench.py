"""Shared pieces of the benchmark commands: the sandbox beside us, a throw-away
database, a query counter and peak memory."""

import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from urllib.request import urlopen

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from ozonprice.clients.ozon import OzonClient
from ozonprice.models import Account, ShowcaseSource

SANDBOX_CLIENT_ID, SANDBOX_API_KEY = "sandbox", "sandbox-key"
# The sandbox serves any Front Price seller id, FRONT_PAGE_SIZE products a page (its default).
FRONT_SELLER_ID, FRONT_PAGE_SIZE = "bench", 100


def bench_account() -> Account:
    """The throw-away database's one account, with the sandbox's credentials (the services run for it)."""
    account, _created = Account.objects.get_or_create(
        client_id=SANDBOX_CLIENT_ID, defaults={"name": "Bench", "api_key": SANDBOX_API_KEY}
    )
    return account


def ozon_client(url: str) -> OzonClient:
    """A client as the app builds one (configured rate limit, concurrency, retries), aimed at the sandbox."""
    with override_settings(OZON_API_URL=url):
        return OzonClient.of(bench_account())


@contextmanager
def front_price_source(url: str):
    """The showcase read from the sandbox's Front Price API for the duration; the source before is restored."""
    account = bench_account()
    before = account.showcase_source, account.front_price_api_url, account.front_price_seller_id
    account.showcase_source, account.front_price_api_url, account.front_price_seller_id = (
        ShowcaseSource.FRONT_API,
        url,
        FRONT_SELLER_ID,
    )
    account.save()
    try:
        yield
    finally:
        account.showcase_source, account.front_price_api_url, account.front_price_seller_id = before
        account.save()


def table_analyze(model) -> None:
    """PostgreSQL: VACUUM ANALYZE one table, what autovacuum does after bulk writes (the bench does not wait for it).

    Rewritten rows clear the visibility map, so a COUNT and a deep OFFSET read the heap for every row
    (EXPLAIN: Heap Fetches ≈ rows) until a vacuum sets it again; whether autovacuum ran before the
    measurement is a race. VACUUM marks a page all-visible only once the commits on it are flushed:
    with asynchronous commit (scripts/with-postgres runs synchronous_commit=off) it waits for the WAL
    writer first, or the vacuum can leave the map unset.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (written,) = cursor.fetchone()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class QueryCounter:
    """Counts statements without keeping their SQL (a 1000-row upsert's text is large)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def sandbox_stats(url: str) -> tuple[int, float]:
    """The sandbox's requests answered and seconds spent answering them (its latency sleep left out).

    The sandbox's own stats route on 127.0.0.1, not an Ozon call: it does not go through the seam.
    """
    with urlopen(f"{url}/__sandbox/stats", timeout=10) as answer:  # noqa: S310 - our own loopback sandbox
        stats = json.load(answer)
    return int(stats["requests"]), float(stats["processing_s"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sandbox(*, products: int, seed: int, latency_ms: int):
    """The sandbox in its own process, so its work and memory are not counted as ours."""
    port = free_port()
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "ozon_sandbox",
        "--port",
        str(port),
        "--products",
        str(products),
        "--seed",
        str(seed),
        "--latency-ms",
        str(latency_ms),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 - our own manage.py
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise CommandError("the sandbox did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def throwaway_database():
    """A fresh, migrated database (a temporary SQLite file, or a test database on PostgreSQL)."""
    creation = connection.creation
    # create_test_db returns the new database's name: the one to go back to is read first.
    old_name, old_test = connection.settings_dict["NAME"], dict(connection.settings_dict.get("TEST") or {})
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        # createcachetable prints "Cache table ... already exists." whatever the verbosity:
        # stdout is the benchmark's Markdown tables, so its chatter goes to stderr.
        with redirect_stdout(sys.stderr):
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            # The bench account's sandbox Api-Key is stored encrypted: without a configured key (DEBUG off, no
            # FIELD_ENCRYPTION_KEY) a one-off key serves, as the database dies with the run.
            keys = settings.FIELD_ENCRYPTION_KEYS or [Fernet.generate_key().decode()]
            with override_settings(FIELD_ENCRYPTION_KEYS=keys):
                yield
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
            connection.settings_dict["TEST"] = old_test

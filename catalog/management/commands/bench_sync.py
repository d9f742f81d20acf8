"""Benchmark the catalogue sync against the sandbox, in a throw-away database.

Prints, for a first sync (every product new) and a second one (every product
known): products synced, Ozon calls per endpoint against the lower bound
(ceil(N/1000) per endpoint), DB queries, wall seconds and peak memory.
"""

import math
import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalog.services import sku_sync_all
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient

ENDPOINTS = ("/v3/product/list", "/v3/product/info/list", "/v5/product/info/prices", "/v4/product/info/stocks")
SANDBOX_CLIENT_ID, SANDBOX_API_KEY = "sandbox", "sandbox-key"


class QueryCounter:
    """Counts statements without keeping their SQL (a 1000-row upsert's text is large)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Benchmark the catalogue sync of N products against the local sandbox (a test double of Ozon)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--products", type=int, default=10_000)
        parser.add_argument("--latency-ms", type=int, default=0, help="sandbox latency per call")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--rate-limit", type=float, default=None, help="client requests/s (default: OZON_RATE_LIMIT)"
        )

    def handle(self, *args, products: int, latency_ms: int, seed: int, rate_limit: float | None, **options) -> None:
        if products < 1:
            raise CommandError("--products must be at least 1")
        rate = settings.OZON_RATE_LIMIT if rate_limit is None else rate_limit
        with sandbox(products=products, seed=seed, latency_ms=latency_ms) as url, throwaway_database():
            rss_before = peak_rss_mb()
            self.stdout.write(
                f"bench_sync: {products} products, sandbox latency {latency_ms} ms, "
                f"client rate limit {rate:g}/s, database {connection.vendor}"
            )
            for label in ("first sync (all new)", "second sync (all known)"):
                client = OzonClient(base_url=url, client_id=SANDBOX_CLIENT_ID, api_key=SANDBOX_API_KEY, rate_limit=rate)
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = sku_sync_all(client=client)
                seconds = time.perf_counter() - started
                if not result.ok:
                    raise CommandError(result.summary())
                self.report(label, result, queries=counter.count, seconds=seconds, products=products)
            self.stdout.write(
                f"peak memory          {peak_rss_mb():.0f} MB RSS high-water mark "
                f"({rss_before:.0f} MB before the first sync)"
            )

    def report(self, label: str, result, *, queries: int, seconds: float, products: int) -> None:
        bound = math.ceil(products / PAGE_LIMIT)
        w = self.stdout.write
        w(f"\n{label}")
        w(f"  products synced    {result.fetched} (created {result.created}, updated {result.updated})")
        w(f"  {'Ozon endpoint':<28}{'calls':>7}{'lower bound':>13}")
        for endpoint in ENDPOINTS:
            w(f"  {endpoint:<28}{result.calls.get(endpoint, 0):>7}{bound:>13}")
        w(f"  {'total':<28}{sum(result.calls.values()):>7}{bound * len(ENDPOINTS):>13}")
        w(f"  DB queries         {queries} ({queries / products * 1000:.1f} per 1000 SKUs)")
        w(f"  wall seconds       {seconds:.1f}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sandbox(*, products: int, seed: int, latency_ms: int):
    """The sandbox in its own process, so its work and memory are not counted as ours."""
    port = free_port()
    command = [
        sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "ozon_sandbox",
        "--port", str(port), "--products", str(products), "--seed", str(seed), "--latency-ms", str(latency_ms),
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
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            creation.destroy_test_db(old_name, verbosity=0)

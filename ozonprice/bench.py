"""Shared pieces of the benchmark commands: the sandbox beside us, a throw-away
database, a query counter and peak memory."""

import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

SANDBOX_CLIENT_ID, SANDBOX_API_KEY = "sandbox", "sandbox-key"


class QueryCounter:
    """Counts statements without keeping their SQL (a 1000-row upsert's text is large)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


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
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
            connection.settings_dict["TEST"] = old_test

"""Helpers for tests that run the app in real processes (manage.py, qcluster).

Those processes need a database of their own that they can all reach: a
SQLite file, or — when the suite runs on PostgreSQL — a fresh database on the
same server, dropped afterwards.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict, *args: str, check: bool = True, timeout: int = 300) -> str:
    """Run `manage.py` in a process of its own; its stdout, or a failure with both streams."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(env: dict, *args: str) -> subprocess.Popen:
    """Start `manage.py …` in its own process group (so killing it kills its children)."""
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    name = f"ozonprice_it_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app_env(database_url: str) -> dict:
    """The environment of the app's processes: their own database and keys; Ozon is set per test."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DJANGO_SECRET_KEY": "integration-test-secret-key-0123456789-0123456789-0123456789",
    }


def worker_stuck_after_ozon_applied(
    sandbox, env: dict, *, hang_s: float, imports: int = 1
) -> tuple[subprocess.Popen, list[int]]:
    """Start `maintain_prices` with the sandbox applying its first import and then holding the answer `hang_s`.

    Returns the worker and the list of import sizes Ozon applied, once `imports` are in (with several
    imports in flight, those after the first are applied and answered while the first one's answer hangs).
    """
    original = sandbox.routes["/v1/product/import/prices"].handler
    applied: list[int] = []

    def apply_then_hang(box, request):
        answer = original(box, request)
        applied.append(len(request.body["prices"]))
        if len(applied) == 1:
            time.sleep(hang_s)
        return answer

    sandbox.add_route("/v1/product/import/prices", apply_then_hang)
    worker = start(env, "maintain_prices")
    deadline = time.monotonic() + 60
    while len(applied) < imports and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(applied) >= imports, f"the worker sent {len(applied)} imports, not {imports}"
    return worker, applied

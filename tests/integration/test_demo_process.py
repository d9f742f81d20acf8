"""`make run` and `manage.py` as a user meets them, in real processes.

* scripts/run-demo sets up two accounts, each synced with its own SKUs and seeded, serves /health,
  and SIGTERM or Ctrl-C (SIGINT) stops every process it started within its grace period (none killed
  at the deadline);
* a command that stores a secret under DEBUG=false without FIELD_ENCRYPTION_KEY stops with one clear line.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, manage

GRACE_S = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(root: int) -> set[int]:
    """Every live process under `root` (from /proc: the children of setsid processes included)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        children = {child for child, parent in parents.items() if parent == pid}
        todo.extend(children - found)
        found |= children
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent's wait is missing


def _wait_for_health(url: str, demo: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            pytest.fail(f"run-demo ended early:\n{demo.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our own loopback server
                if answer.status in (200, 503):
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("run-demo did not serve /health in time")


def _assert_two_accounts_synced(health_url: str, database: Path) -> None:
    """Both demo accounts are set up, each synced with its own SKUs, and Ozon answered each of them."""
    with urllib.request.urlopen(health_url, timeout=5) as answer:  # noqa: S310 - our own loopback server
        accounts = json.load(answer)["accounts"]
    # Public: ids and states only, never an account's name.
    assert [sorted(a) for a in accounts] == [["account", "front_price_api", "ozon_api"]] * 2
    assert [a["ozon_api"]["status"] for a in accounts] == ["ok", "ok"]
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT a.name, a.client_id, COUNT(s.id), COUNT(s.mrpc) FROM ozonprice_account a"
            " JOIN catalog_sku s ON s.account_id = a.id GROUP BY a.id ORDER BY a.id"
        ).fetchall()
        shared = db.execute(
            "SELECT COUNT(*) FROM catalog_sku s JOIN catalog_sku t ON s.product_id = t.product_id"
            " AND s.account_id < t.account_id"
        ).fetchone()[0]
    # DEMO_PRODUCTS each (the archived ones too), a dozen or so seeded with MRPC in each.
    assert [(name, client_id) for name, client_id, *_counts in rows] == [
        ("Demo ИП", "sandbox"),
        ("Demo Brand LLC", "sandbox-2"),
    ]
    assert all(skus >= 60 and with_mrpc >= 10 for _name, _id, skus, with_mrpc in rows), rows
    assert shared == 0  # each account has its own catalogue


def _default_signals() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_demo_serves_and_stops_within_its_grace_period(tmp_path, stop):
    web, sandbox = _free_port(), _free_port()
    env = {
        **os.environ,
        "DEMO_DIR": str(tmp_path / "demo"),
        "WEB_PORT": str(web),
        "SANDBOX_PORT": str(sandbox),
        "DEMO_PRODUCTS": "60",
        "STOP_GRACE": str(GRACE_S),
    }
    for name in ("DATABASE_URL", "FIELD_ENCRYPTION_KEY", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    demo = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "run-demo")],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As from a terminal: an earlier test (or a CI runner) may leave SIGINT ignored in this process, and a
        # shell cannot trap a signal that was ignored when it started.
        preexec_fn=_default_signals,
    )
    try:
        _wait_for_health(f"http://127.0.0.1:{web}/health", demo, time.monotonic() + 180)
        time.sleep(3)  # qcluster's workers are up
        _assert_two_accounts_synced(f"http://127.0.0.1:{web}/health", tmp_path / "demo" / "db.sqlite3")
        children = _descendants(demo.pid)
        assert len(children) >= 4  # the sandbox, runserver, qcluster and its processes

        started = time.monotonic()
        demo.send_signal(stop)
        output, _ = demo.communicate(timeout=GRACE_S + 5)
        took = time.monotonic() - started

        assert [pid for pid in children if _running(pid)] == []
        assert took < GRACE_S, output
        assert "outlived" not in output  # nothing had to be killed at the deadline
        assert (tmp_path / "demo" / "sandbox-state.json").exists()
        assert "DATABASE_URL=sqlite:///" in (tmp_path / "demo" / ".env").read_text()
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
        for pid in _descendants(demo.pid) if demo.poll() is None else ():
            os.kill(pid, signal.SIGKILL)


def test_a_command_without_the_encryption_key_stops_with_one_line(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
        "OZON_CLIENT_ID": "12345",
        "OZON_API_KEY": "an-api-key-of-some-length",
        "OZON_API_URL": "http://127.0.0.1:9",
    }
    env.pop("FIELD_ENCRYPTION_KEY", None)
    manage(env, "migrate", "--no-input", "-v", "0")

    # setup_schedules stores the environment's Api-Key as the first account's (encrypted at rest).
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "setup_schedules"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: FIELD_ENCRYPTION_KEY is not set")
    assert "Fernet.generate_key()" in last

"""A killed price run blocks the next one for at most the lease TTL, and nothing is sent twice.

The app runs in real processes on a database of its own, with a lease TTL of
3 seconds (TASK_LEASE_TTL_SECONDS). The sandbox (real HTTP on 127.0.0.1)
applies the first price import and then holds its answer, so the run is live
for many TTLs and then killed right there.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from ozonprice.sandbox.server import OzonSandbox
from tests.integration.conftest import ROOT, manage, worker_stuck_after_ozon_applied
from tests.integration.test_worker_crash import REPORT, SETUP

pytestmark = pytest.mark.e2e
TTL = 3
LEASE = """
from ozonprice.models import TaskLease
print(TaskLease.objects.get(name__startswith="maintain_mrpc_prices:").locked_until.timestamp())
"""


def run_maintain(env: dict) -> str:
    """`manage.py maintain_prices`: its summary (a skipped run fails, its summary on stderr)."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "maintain_prices"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout + done.stderr


# One import in flight, or several (OZON_CONCURRENCY): the ~2000 active SKUs are two imports.
@pytest.mark.parametrize("concurrency", [1, 8])
def test_a_killed_runs_lease_frees_within_the_ttl_and_no_price_is_sent_twice(app_env, concurrency):
    sandbox = OzonSandbox(products=2500, seed=5).start()
    try:
        env = {
            **app_env,
            "OZON_API_URL": sandbox.url,
            "OZON_CLIENT_ID": sandbox.client_id,
            "OZON_API_KEY": sandbox.api_key,
            "OZON_CONCURRENCY": str(concurrency),
            "TASK_LEASE_TTL_SECONDS": str(TTL),
        }
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "setup_schedules")  # the environment's credentials make the first account, as a deployment's do
        manage(env, "ozon_sync")
        manage(env, "shell", "-c", SETUP)

        # The first import is applied by Ozon, then its answer hangs: the worker waits, alive.
        worker, applied = worker_stuck_after_ozon_applied(sandbox, env, hang_s=60, imports=1 if concurrency == 1 else 2)

        # A live run keeps its lease for many TTLs: a second run meanwhile is skipped.
        time.sleep(2 * TTL)
        assert "maintain skipped" in run_maintain(env)
        assert worker.poll() is None
        assert len(applied) == (1 if concurrency == 1 else 2)  # the lease stops nothing already in flight

        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.time()
        sent_before_kill = sum(applied)  # dispatched, applied by Ozon, never recorded

        # The dead worker's lease runs out within the TTL; nothing expires it by hand.
        locked_until = float(manage(env, "shell", "-v", "0", "-c", LEASE).strip().splitlines()[-1])
        assert locked_until <= killed_at + TTL, f"the lease outlives the kill by {locked_until - killed_at:.0f} s"
        time.sleep(max(0.0, locked_until - time.time()) + 0.1)
        summary = manage(env, "maintain_prices")  # the next run reconciles, then sends the rest

        assert f"reconciled {sent_before_kill}" in summary, summary
        report = manage(env, "shell", "-v", "0", "-c", REPORT).strip().splitlines()[-1]
        statuses, history_rows, history_skus = json.loads(report)
        active = sum(statuses.values())
        assert statuses == {"sent": active}, report  # nothing lost, no false `failed`
        assert history_rows == history_skus == active  # one history row per SKU: nothing twice
        per_product = Counter(item["product_id"] for batch in sandbox.price_imports for item in batch)
        assert set(per_product.values()) == {1}  # Ozon saw every change exactly once
        assert len(per_product) == active
    finally:
        sandbox.stop()

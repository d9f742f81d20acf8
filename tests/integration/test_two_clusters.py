"""Two `qcluster` processes on one database run each scheduled task once per slot.

Both clusters' schedulers see the same due schedule (on SQLite nothing in
django-q2 stops both from starting it); the slot claim and the task lease,
rows in the shared database, let exactly one run do the work. With Redis as
the broker too, when `redis-server` is installed.
"""

import json
import os
import signal
import time

import pytest

from ozonprice.sandbox.server import OzonSandbox
from tests.integration.conftest import manage, start

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DUE_NOW = """
from datetime import timedelta
from django.utils import timezone
from django_q.models import Schedule
from ozonprice.account_services import account_bootstrap
from ozonprice.schedule import schedules_install
account_bootstrap()  # the environment's credentials: the one account (as setup_schedules makes it)
schedules_install()
# The account's catalogue schedule, monitor_products:<account id>, due now; no other.
Schedule.objects.exclude(name__startswith="monitor_products:").delete()
Schedule.objects.filter(name__startswith="monitor_products:").update(next_run=timezone.now() - timedelta(seconds=1))
"""
RUNS = """
import json
from django_q.models import Task
print(json.dumps([t.result for t in Task.objects.filter(func="catalog.tasks.monitor_products")]))
"""


def run_two_clusters(env: dict, sandbox: OzonSandbox) -> list[str]:
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", DUE_NOW)
    clusters = [start(env, "qcluster"), start(env, "qcluster")]
    try:
        # Each cluster's scheduler makes its first pass about 30 s after start:
        # wait until both surely have (45 s), and for the run to be recorded.
        started = time.monotonic()
        while True:
            time.sleep(3)
            results = json.loads(manage(env, "shell", "-v", "0", "-c", RUNS).strip().splitlines()[-1])
            elapsed = time.monotonic() - started
            if (results and elapsed >= 45) or elapsed > 120:
                break
    finally:
        for cluster in clusters:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait(timeout=10)
    return results


@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_two_clusters_sync_the_catalogue_once_per_slot(app_env, broker, request):
    sandbox = OzonSandbox(products=200).start()
    try:
        env = {
            **app_env,
            "OZON_API_URL": sandbox.url,
            "OZON_CLIENT_ID": sandbox.client_id,
            "OZON_API_KEY": sandbox.api_key,
            "Q_WORKERS": "2",
        }
        if broker == "redis":
            env["REDIS_URL"] = request.getfixturevalue("redis_url")

        results = run_two_clusters(env, sandbox)

        synced = [r for r in results if r and r.startswith("sync ok")]
        assert len(synced) == 1, results
        assert all(r.startswith("skipped") for r in results if r not in synced), results
        # One sync = one list call per pass (active + archived) for 200 products.
        assert sandbox.calls.get("/v3/product/list") == 2
    finally:
        sandbox.stop()

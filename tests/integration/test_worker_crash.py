"""A worker killed between Ozon's answer and the database write loses no price change.

Everything of the app runs in real processes on a database of their own;
the sandbox (real HTTP on 127.0.0.1) runs in the test, which slows one price
import down after Ozon has applied it so the worker can be killed right there.
"""

import json
import os
import signal
from collections import Counter

import pytest

from ozonprice.sandbox.server import OzonSandbox
from tests.integration.conftest import manage, worker_stuck_after_ozon_applied

pytestmark = pytest.mark.e2e
SETUP = """
from decimal import Decimal
from django.db.models import F
from django.db.models.functions import Round
from catalog.models import Sku
Sku.objects.filter(available=True, archived=False).update(
    mrpc=Round(F("price") * Decimal("1.1")), discount=Decimal("25"), active=True, front_price=F("price"))
"""
EXPIRE_LEASE = """
from datetime import timedelta
from django.utils import timezone
from ozonprice.models import TaskLease
# The account's lease: maintain_mrpc_prices:<account id>.
leases = TaskLease.objects.filter(name__startswith="maintain_mrpc_prices:")
assert leases.filter(locked_until__gt=timezone.now()).exists()
leases.update(locked_until=timezone.now() - timedelta(seconds=1))
"""
REPORT = """
import json
from collections import Counter
from pricing.models import PriceChange, PriceHistory
changes = Counter(PriceChange.objects.values_list("status", flat=True))
print(json.dumps([changes, PriceHistory.objects.count(), PriceHistory.objects.values("sku").distinct().count()]))
"""


# One import in flight, or several (OZON_CONCURRENCY): the ~2000 active SKUs are two imports.
@pytest.mark.parametrize("concurrency", [1, 8])
def test_a_worker_killed_after_ozon_applied_a_batch_loses_and_repeats_nothing(app_env, concurrency):
    sandbox = OzonSandbox(products=2500, seed=5).start()
    try:
        env = {
            **app_env,
            "OZON_API_URL": sandbox.url,
            "OZON_CLIENT_ID": sandbox.client_id,
            "OZON_API_KEY": sandbox.api_key,
            "OZON_CONCURRENCY": str(concurrency),
        }
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "setup_schedules")  # the environment's credentials make the first account, as a deployment's do
        manage(env, "ozon_sync")
        manage(env, "shell", "-c", SETUP)

        # The first import is applied by Ozon, then its answer hangs: the worker dies waiting.
        worker, applied = worker_stuck_after_ozon_applied(sandbox, env, hang_s=30, imports=1 if concurrency == 1 else 2)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        sent_before_crash = sum(applied)  # dispatched, applied by Ozon, never recorded

        # The dead worker's lease runs out (20 minutes, longer than a task may run); skip the wait.
        manage(env, "shell", "-c", EXPIRE_LEASE)
        summary = manage(env, "maintain_prices")  # the next run reconciles, then sends the rest

        assert f"reconciled {sent_before_crash}" in summary, summary
        report = manage(env, "shell", "-v", "0", "-c", REPORT).strip().splitlines()[-1]
        statuses, history_rows, history_skus = json.loads(report)
        active = sum(statuses.values())
        assert statuses == {"sent": active}, report  # nothing lost, nothing failed
        assert history_rows == history_skus == active  # one history row per SKU: nothing twice
        per_product = Counter(item["product_id"] for batch in sandbox.price_imports for item in batch)
        assert set(per_product.values()) == {1}  # Ozon saw every change exactly once
        assert len(per_product) == active
    finally:
        sandbox.stop()

"""Two processes, one Redis-backed rate budget per Client-Id, against the sandbox's model of Ozon's limit.

The sandbox is the judge: it counts the requests of each Client-Id in each second.
Each process alone runs at the configured rate; together they must not exceed it,
and a 429 with `Retry-After` that one of them receives must stop both.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ozonprice.sandbox.test_server import AUTH

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RATE = 8
CALLS = 12  # per process: 24 calls at 8 a second, 3 s, plus the pause
PAUSE_S = 2
INFO = "/v3/product/info/list"
# One process: wait for "go" on stdin, then read product info CALLS times, two calls in flight.
WORKER = """
import json, os, sys
import django
django.setup()
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.ozon import OzonClient
client = OzonClient(
    base_url=os.environ["SANDBOX_URL"], client_id="sandbox", api_key="sandbox-key", rate_limit=float(os.environ["RATE"])
)
client.http.log_calls = False  # no database here: the sandbox's counts are what is judged
print("ready", flush=True)
sys.stdin.readline()
outcomes = list(
    calls_concurrent(lambda _: client.product_info_list(product_ids=[100000001]), range(int(os.environ["CALLS"])), concurrency=2)
)
print(json.dumps({"errors": [str(o.error) for o in outcomes if o.error], "state": type(client.http.budget.state).__name__}))
"""


def workers(env: dict) -> list[subprocess.Popen]:
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:  # both set up (Django, Redis) before either calls
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    return processes


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_two_processes_share_one_budget_and_one_429_pauses_both(make_sandbox, redis_url):
    sandbox = make_sandbox(products=5, rate_limit=RATE)
    # The 9th read is refused: by then both processes are calling.
    sandbox.fail_next(INFO, status=429, headers={"Retry-After": str(PAUSE_S)}, after=8)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ozonprice.settings",
        "REDIS_URL": redis_url,
        "SANDBOX_URL": sandbox.url,
        "RATE": str(RATE),
        "CALLS": str(CALLS),
    }
    started = time.monotonic()

    results = [finish(process) for process in workers(env)]

    elapsed = time.monotonic() - started
    assert [r["errors"] for r in results] == [[], []]
    assert {r["state"] for r in results} == {"RedisState"}
    per_second = sandbox.rate.per_second(AUTH["Client-Id"])
    # Together never more than the budget's rate in any second: the sandbox refused none
    # (every call but the injected 429's retry went through once).
    assert sandbox.rate.peak(AUTH["Client-Id"]) <= RATE, per_second
    assert sandbox.calls[INFO] == 2 * CALLS + 1, per_second
    # The 429's Retry-After stopped both: a whole second without a request in the middle of the run.
    seconds = range(min(per_second), max(per_second) + 1)
    assert any(per_second.get(second, 0) == 0 for second in seconds), per_second
    assert elapsed >= (2 * CALLS) / RATE + PAUSE_S - 1

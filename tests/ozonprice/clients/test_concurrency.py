"""calls_concurrent: bounded, ordered, lazy, and every audit row written on the calling thread."""

import threading
import time

import pytest
import responses

from auditlog.models import ApiLogEntry
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.http import ApiError, HttpSeam, RetryPolicy, outbound_call
from ozonprice.runs import task_run

BASE = "https://api-seller.ozon.ru"


def test_outcomes_come_in_the_order_of_the_items_whatever_finishes_first():
    def slow_first(n: int) -> int:
        time.sleep(0.05 if n == 0 else 0)
        return n * 10

    assert [o.value for o in calls_concurrent(slow_first, range(6), concurrency=3)] == [0, 10, 20, 30, 40, 50]


def test_no_more_than_the_limit_run_at_once_and_they_do_overlap():
    lock, running, peak = threading.Lock(), [0], [0]

    def call(_n: int) -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1

    list(calls_concurrent(call, range(20), concurrency=4))

    assert peak[0] == 4


def test_items_are_taken_on_the_calling_thread_never_more_than_the_limit_ahead():
    taken, main = [], threading.get_ident()

    def items():
        for n in range(10):
            assert threading.get_ident() == main
            taken.append(n)
            yield n

    outcomes = calls_concurrent(lambda n: n, items(), concurrency=3)
    first = next(outcomes)
    assert first.value == 0 and len(taken) <= 3
    rest = [o.value for o in outcomes]
    assert rest == list(range(1, 10))


def test_an_error_is_handed_back_with_its_item_and_the_others_still_run():
    def call(n: int) -> int:
        if n == 2:
            raise ValueError("two")
        return n

    outcomes = list(calls_concurrent(call, range(5), concurrency=2))

    assert [(o.item, o.value) for o in outcomes if o.error is None] == [(0, 0), (1, 1), (3, 3), (4, 4)]
    (failed,) = [o for o in outcomes if o.error is not None]
    assert failed.item == 2 and str(failed.error) == "two"


def test_with_a_limit_of_one_everything_runs_on_the_calling_thread():
    threads = {n: t for n, t in enumerate(calls_concurrent(lambda _n: threading.get_ident(), range(3), concurrency=1))}
    assert {o.value for o in threads.values()} == {threading.get_ident()}


@pytest.mark.django_db
def test_audit_rows_of_calls_made_in_workers_are_written_by_the_calling_thread_with_the_run_id(no_network):
    for n in range(6):
        no_network.add(responses.POST, f"{BASE}/v1/n{n}", json={"n": n})
    seam = HttpSeam(service="ozon", base_url=BASE, headers={"Api-Key": "key-123456789"}, secrets=["key-123456789"])
    writer_threads = set()

    def spy(sender, **call):
        writer_threads.add(threading.get_ident())

    outbound_call.connect(spy, dispatch_uid="test-spy")
    try:
        with task_run("concurrency_test") as run:
            outcomes = list(
                calls_concurrent(lambda n: seam.post(f"/v1/n{n}", {}, idempotent=True).data, range(6), concurrency=3)
            )
    finally:
        outbound_call.disconnect(dispatch_uid="test-spy")

    assert [o.value for o in outcomes] == [{"n": n} for n in range(6)]
    assert writer_threads == {threading.get_ident()}
    rows = ApiLogEntry.objects.filter(endpoint__startswith="/v1/n")
    assert rows.count() == 6  # visible in this test's transaction: written on its connection
    assert set(rows.values_list("run_id", flat=True)) == {run.id}
    assert seam.calls == {f"/v1/n{n}": 1 for n in range(6)}


@pytest.mark.django_db
def test_a_caller_that_stops_early_loses_no_audit_row_of_a_call_in_flight(no_network):
    for n in range(4):
        no_network.add(responses.POST, f"{BASE}/v1/n{n}", json={})
    no_network.add(responses.POST, f"{BASE}/v1/n4", status=500, json={})
    seam = HttpSeam(service="ozon", base_url=BASE, retry=RetryPolicy(max_retries=0))

    outcomes = calls_concurrent(lambda n: seam.post(f"/v1/n{n}", {}, idempotent=True), range(5), concurrency=4)
    first = next(outcomes)
    outcomes.close()  # e.g. the run's lease was lost

    assert first.error is None
    called = sum(seam.calls.values())
    assert called >= 1
    assert ApiLogEntry.objects.filter(endpoint__startswith="/v1/n").count() == called


def test_an_api_error_in_a_worker_reaches_the_caller_as_the_outcome(no_network):
    no_network.add(responses.POST, f"{BASE}/v1/bad", status=400, json={"code": 3, "message": "bad"})
    seam = HttpSeam(service="ozon", base_url=BASE, log_calls=False)

    (outcome,) = list(calls_concurrent(lambda _n: seam.post("/v1/bad", {}, idempotent=True), [1], concurrency=2))

    assert isinstance(outcome.error, ApiError) and outcome.error.permanent

"""The rate budget: one per (service, Client-Id), shared by every client, thread and (with Redis) process."""

import threading
import time

import pytest
import responses

from ozonprice.clients.http import RateLimited, RetryPolicy
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ratelimit import LocalState, RateBudget, RedisState, budgets_reset, rate_budget
from tests.fakes.clock import FakeClock
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"
LIST_URL = BASE + "/v3/product/list"
PAGE = load_fixture("product_list_page3")
RATE_LIMITED = {"code": 8, "message": "You have reached request rate limit per second", "details": []}


def client(client_id="123456", rate=1000.0, **kwargs):
    ozon = OzonClient(
        base_url=BASE, client_id=client_id, api_key="k", rate_limit=rate, retry=RetryPolicy(max_retries=0), **kwargs
    )
    ozon.http.log_calls = False  # threads here make calls outside calls_concurrent: no audit rows to write
    return ozon


def read(ozon):
    return next(ozon.product_list_pages(limit=1000))


def waiting(budget):
    """Seconds the next call of this budget would wait now (without spending a call)."""
    wait = budget.state.take(interval=budget.interval, tolerance=budget.tolerance)
    if wait == 0:  # it was allowed: give the call back, so asking does not spend one
        budget.state.tat -= budget.interval
    return wait


# --- the bucket -----------------------------------------------------------------------------
def test_a_budget_spaces_calls_at_its_rate():
    clock = FakeClock()
    budget = RateBudget(LocalState(clock), 5, sleep=clock.sleep)

    for _ in range(11):
        budget.acquire()

    assert sum(clock.slept) == pytest.approx(2.0)


def test_a_burst_goes_at_once_then_the_rate_holds():
    clock = FakeClock()
    budget = RateBudget(LocalState(clock), 5, burst=5, sleep=clock.sleep)

    for _ in range(5):
        budget.acquire()
    assert clock.slept == []
    for _ in range(5):
        budget.acquire()

    assert sum(clock.slept) == pytest.approx(1.0)


def test_calls_slower_than_the_rate_never_wait():
    clock = FakeClock()
    budget = RateBudget(LocalState(clock), 4, sleep=clock.sleep)

    for _ in range(10):
        budget.acquire()
        clock.now += 0.25

    assert clock.slept == []


def test_no_rate_means_no_budget():
    assert rate_budget(service="ozon", key="1", rate=0) is None
    assert client(rate=0).http.budget is None


def test_nobody_sleeps_holding_the_lock():
    state = LocalState()
    held = []
    budget = RateBudget(state, 50, sleep=lambda s: (held.append(state.lock.locked()), time.sleep(s)))

    for _ in range(3):
        budget.acquire()

    assert held and not any(held)


# --- shared by account ----------------------------------------------------------------------
def test_clients_of_one_client_id_share_one_budget_and_another_id_has_its_own():
    a, b, other = client("111"), client("111"), client("222")

    assert a.http.budget.state is b.http.budget.state
    assert other.http.budget.state is not a.http.budget.state


def test_two_clients_of_one_account_together_keep_its_rate():
    clock = FakeClock()
    state = LocalState(clock)
    first, second = RateBudget(state, 5, sleep=clock.sleep), RateBudget(state, 5, sleep=clock.sleep)

    for _ in range(5):
        first.acquire()
        second.acquire()

    # Ten calls at 5 a second: the first goes at once, the others 0.2 s apart, whichever client makes them.
    assert sum(clock.slept) == pytest.approx(1.8)


def test_the_budget_is_shared_across_threads(no_network):
    no_network.add(responses.POST, LIST_URL, json=PAGE)
    clients = [client("111", rate=20) for _ in range(4)]
    started = time.monotonic()

    threads = [threading.Thread(target=lambda c=c: [read(c) for _ in range(3)]) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # 12 calls at 20 a second: 11 gaps of 50 ms, not 4 clients × 20 a second.
    assert time.monotonic() - started >= 11 / 20 - 0.02
    assert len(no_network.calls) == 12


# --- what Ozon says about the budget --------------------------------------------------------
def test_a_429_with_retry_after_pauses_every_client_of_the_account(no_network):
    no_network.add(responses.POST, LIST_URL, json=RATE_LIMITED, status=429, headers={"Retry-After": "1"})
    no_network.add(responses.POST, LIST_URL, json=PAGE)
    refused, waiting_client, other_account = client("111"), client("111"), client("222")

    with pytest.raises(RateLimited):
        read(refused)
    started = time.monotonic()
    thread = threading.Thread(target=read, args=(waiting_client,))
    thread.start()
    thread.join()

    assert time.monotonic() - started >= 0.9  # the other thread waited for the Retry-After
    assert waiting(other_account.http.budget) == 0  # another Client-Id did not


def test_the_pause_is_capped_by_retry_after_max(no_network):
    no_network.add(responses.POST, LIST_URL, json=RATE_LIMITED, status=429, headers={"Retry-After": "3600"})
    ozon = OzonClient(
        base_url=BASE,
        client_id="111",
        api_key="k",
        rate_limit=1000,
        retry=RetryPolicy(max_retries=0, retry_after_max=2),
    )

    with pytest.raises(RateLimited):
        read(ozon)

    assert 1.5 < waiting(ozon.http.budget) <= 2.0


def test_an_item_quota_429_does_not_pause_the_account(no_network):
    no_network.add(responses.POST, LIST_URL, json=RATE_LIMITED, status=429, headers={"Item-Retry-After": "5"})
    ozon = client("111")

    with pytest.raises(RateLimited):
        read(ozon)

    assert waiting(ozon.http.budget) < 0.01


def test_ratelimit_remaining_zero_waits_for_the_next_second(no_network):
    no_network.add(responses.POST, LIST_URL, json=PAGE, headers={"Ratelimit-Remaining": "0"})
    ozon = client("111")

    read(ozon)
    now = time.time()

    assert waiting(ozon.http.budget) == pytest.approx(int(now) + 1 - now, abs=0.02)


def test_ratelimit_remaining_above_zero_does_not_wait(no_network):
    no_network.add(responses.POST, LIST_URL, json=PAGE, headers={"Ratelimit-Remaining": "7"})
    ozon = client("111")

    read(ozon)

    assert waiting(ozon.http.budget) < 0.01


# --- Redis: one budget for every process ----------------------------------------------------
def test_with_redis_another_process_sees_the_same_budget(settings, redis_url):
    settings.REDIS_URL = redis_url
    here = rate_budget(service="ozon", key="111", rate=2)
    budgets_reset()  # as if in another process: nothing of `here` is left in this one
    there = rate_budget(service="ozon", key="111", rate=2)

    assert isinstance(there.state, RedisState) and there.state is not here.state
    here.acquire()
    assert there.state.take(interval=there.interval, tolerance=there.tolerance) == pytest.approx(0.5, abs=0.05)
    here.pause(3)
    assert there.state.take(interval=there.interval, tolerance=there.tolerance) == pytest.approx(3.0, abs=0.05)
    other = rate_budget(service="ozon", key="222", rate=2)
    assert other.state.take(interval=other.interval, tolerance=other.tolerance) == 0


def test_when_redis_is_unreachable_the_process_keeps_its_own_budget(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    slept = []
    budget = rate_budget(service="ozon", key="111", rate=20, sleep=lambda s: (slept.append(s), time.sleep(s)))

    budget.acquire()
    budget.acquire()

    assert slept and "Redis unreachable" in caplog.text

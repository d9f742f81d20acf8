"""Task leases live as long as their run: a short TTL that a live run renews (a heartbeat).

These tests hold leases from real threads with their own database connections,
so they commit (transaction=True) and use a TTL of two seconds.
"""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from ozonprice.accounts import account_run_name
from ozonprice.clients.ozon import PriceImportResult
from ozonprice.leases import task_lease
from ozonprice.models import TaskLease
from pricing.models import ChangeStatus, PriceChange
from pricing.services.maintain import prices_maintain
from tests.factories import SkuFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("short_ttl")]
TTL = 2.0


@pytest.fixture
def short_ttl():
    with override_settings(TASK_LEASE_TTL_SECONDS=TTL):
        yield


def taken(name: str) -> bool:
    """True if another acquirer is refused now (it takes the lease if it can)."""
    return TaskLease.acquire(name, ttl=timedelta(seconds=TTL)) is None


def test_the_default_ttl_is_about_two_minutes():
    from ozonprice import settings as defaults

    assert defaults.TASK_LEASE_TTL_SECONDS == 120


def test_a_run_longer_than_the_ttl_keeps_its_lease_and_a_second_acquirer_is_refused_meanwhile():
    with task_lease("job") as lease:
        assert lease
        deadline = time.monotonic() + 3 * TTL
        while time.monotonic() < deadline:
            assert taken("job")
            time.sleep(TTL / 4)
        assert not lease.lost
    assert not taken("job")  # released at the end of the run


def test_a_lease_whose_holder_stopped_heartbeating_is_free_after_the_ttl(monkeypatch):
    def dead(*args, **kwargs):  # the holder's database is gone: no renewal gets through
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(TaskLease, "renew", dead, raising=False)
    with task_lease("job") as lease:
        started = time.monotonic()
        assert taken("job")
        while taken("job"):
            assert time.monotonic() - started < TTL + 0.5, "the lease outlived its TTL"
            time.sleep(0.05)
        assert lease.lost  # the holder learns it may no longer act


def test_a_lease_taken_by_another_run_is_reported_lost():
    with task_lease("job") as lease:
        TaskLease.objects.filter(name="job").update(owner="another-run")
        deadline = time.monotonic() + TTL
        while not lease.lost and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lease.lost
    # The end of the lost run does not free the other run's lease.
    assert TaskLease.objects.get(name="job").owner == "another-run"


def test_the_heartbeat_stops_and_closes_its_connection_when_the_run_ends(monkeypatch):
    seen, closed = [], []
    renew = TaskLease.renew

    def spy(name, token, *, ttl):
        wrapper = connections["default"]  # the heartbeat thread's own connection
        if not seen:
            close = wrapper.close
            wrapper.close = lambda: (closed.append(wrapper), close())
        seen.append((threading.current_thread(), wrapper))
        return renew(name, token, ttl=ttl)

    monkeypatch.setattr(TaskLease, "renew", spy)
    with task_lease("job"):
        time.sleep(TTL)
    assert seen, "the lease was never renewed"
    (thread,), (wrapper,) = {t for t, _ in seen}, {w for _, w in seen}
    assert thread is not threading.current_thread() and not thread.is_alive()
    assert wrapper is not connections["default"] and closed == [wrapper]
    if not getattr(wrapper, "is_in_memory_db", lambda: False)():  # Django keeps an in-memory SQLite test database open
        assert wrapper.connection is None


def test_a_renewal_that_lands_after_the_release_does_not_take_the_lease_back():
    with task_lease("job"):
        token = TaskLease.objects.get(name="job").owner
    assert TaskLease.renew("job", token, ttl=timedelta(seconds=TTL)) is False
    assert not taken("job")


class StubOzon:
    """Accepts every price; the first import lets another run take the lease meanwhile."""

    # One import at a time: this stub writes the database, which a worker thread must not.
    concurrency = 1

    def __init__(self, lease: str):
        self.imports = []
        self.lease = lease

    def import_prices(self, *, items):
        self.imports.append(items)
        if len(self.imports) == 1:
            TaskLease.objects.filter(name=self.lease).update(owner="another-run")
            time.sleep(TTL)  # the heartbeat finds the lease taken
        return [
            PriceImportResult(product_id=i["product_id"], offer_id=i["offer_id"], updated=True, errors=[])
            for i in items
        ]

    def close(self):
        pass


def test_maintenance_that_lost_its_lease_sends_no_further_batch(ozon_credentials):
    SkuFactory.create_batch(1001, active=True, mrpc=Decimal("1100"), discount=Decimal("0"))
    # The account's own maintenance lease (`maintain_mrpc_prices:<id>`) is the one taken away.
    ozon = StubOzon(account_run_name("maintain_mrpc_prices", ozon_credentials))

    result = prices_maintain(client=ozon, account=ozon_credentials)

    assert len(ozon.imports) == 1 and result.import_calls == 1
    assert result.sent == 1000 and "lease" in result.error
    assert not PriceChange.objects.exclude(status=ChangeStatus.SENT).exists()

"""The guard's frame: which SKUs it watches, its lease, its Ozon call counts, and failures that never raise."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ozonprice.clients.http import ApiError
from ozonprice.leases import task_lease
from pricing.services.guard import LEASE, GuardResult, calls_since, chunked, guard_run, watched_skus
from tests.factories import SkuFactory, account_default

pytestmark = pytest.mark.django_db


class Client:
    def __init__(self, calls=None):
        self.calls = dict(calls or {})
        self.closed = False

    def close(self):
        self.closed = True


def test_the_guard_watches_maintained_skus_with_mrpc_that_are_on_the_storefront():
    watched = SkuFactory(active=True, mrpc=Decimal("1000"))
    SkuFactory(active=False, mrpc=Decimal("1000"))
    SkuFactory(active=True, mrpc=None)
    SkuFactory(active=True, mrpc=Decimal("1000"), archived=True)
    SkuFactory(active=True, mrpc=Decimal("1000"), missing_since=datetime(2026, 1, 1, tzinfo=UTC))

    assert list(watched_skus(None, account=account_default())) == [watched.product_id]


def test_given_products_are_watched_even_without_maintenance_but_still_need_mrpc():
    off = SkuFactory(active=False, mrpc=Decimal("900"))
    no_mrpc = SkuFactory(active=False, mrpc=None)

    watched = watched_skus([off.product_id, no_mrpc.product_id], account=account_default())

    assert list(watched) == [off.product_id] and watched[off.product_id].mrpc == Decimal("900")


def test_chunks_and_call_deltas():
    assert [list(c) for c in chunked([1, 2, 3, 4, 5], 2)] == [[1, 2], [3, 4], [5]]
    assert calls_since({"/a": 2}, {"/a": 5, "/b": 1, "/c": 0}) == {"/a": 3, "/b": 1}


def test_a_run_counts_only_its_own_calls_and_leaves_a_given_client_open():
    client = Client({"/v1/actions": 4})

    def work(c, lease):
        c.calls["/v1/actions"] += 2

    result = guard_run(GuardResult(), client, work, account=account_default())

    assert result.ok and result.calls == {"/v1/actions": 2} and not client.closed


def test_an_ozon_error_fails_the_result_without_raising():
    def work(c, lease):
        raise ApiError("Ozon said no", service="ozon", endpoint="/v1/actions", permanent=True)

    result = guard_run(GuardResult(), Client(), work, account=account_default())

    assert not result.ok and "Ozon said no" in result.error and "FAILED" in result.summary()


def test_a_second_run_while_the_lease_is_held_is_skipped():
    ran = []
    account = account_default()
    with task_lease(f"{LEASE}:{account.pk}"):
        result = guard_run(GuardResult(), Client(), lambda c, lease: ran.append(1), account=account)

    assert result.skipped and ran == [] and "skipped" in result.summary()


def test_failures_of_several_parts_are_all_kept():
    result = GuardResult()
    result.fail("promotions unreadable")
    result.fail("timers unreadable")

    assert result.error == "promotions unreadable; timers unreadable"

"""The catalogue's scheduled task: a full sync then fresh showcase prices, leased, failing loudly for django-q2."""

from datetime import timedelta

import pytest
import responses

from catalog.tasks import monitor_products
from ozonprice.accounts import account_run_name
from ozonprice.models import TaskLease
from ozonprice.schedule import TaskFailed
from tests.fakes.ozon import BASE, FakeOzon, product

pytestmark = pytest.mark.django_db


def test_the_monitor_task_syncs_and_reports(ozon_credentials, no_network, settings):
    settings.OZON_API_URL = BASE
    FakeOzon(products=[product(1), product(2)]).install(no_network)

    assert monitor_products().startswith("sync ok: fetched 2")


def test_the_monitor_task_does_nothing_while_another_run_holds_the_lease(ozon_credentials, no_network, settings):
    settings.OZON_API_URL = BASE
    # The lease is the account's: `monitor_products:<account id>`.
    TaskLease.acquire(account_run_name("monitor_products", ozon_credentials), ttl=timedelta(minutes=5))

    assert monitor_products().startswith("skipped")
    assert len(no_network.calls) == 0


def test_the_monitor_task_raises_on_failure_so_django_q_records_it(ozon_credentials, no_network, settings):
    settings.OZON_API_URL = BASE
    settings.OZON_MAX_RETRIES = 0
    no_network.add(
        responses.POST, BASE + "/v3/product/list", status=500, json={"code": 13, "message": "Internal error"}
    )

    with pytest.raises(TaskFailed, match="Internal error"):
        monitor_products()
    assert TaskLease.acquire("monitor_products", ttl=timedelta(seconds=1)), "the lease was released"

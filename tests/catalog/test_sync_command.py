"""`manage.py ozon_sync` shows its summary once: printed on stdout, not logged again to the console."""

import io
import logging

import pytest
from django.core.management import call_command

from catalog.services import sync as services
from tests.fakes.ozon import FakeOzon, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def ozon(no_network, ozon_credentials) -> FakeOzon:
    fake = FakeOzon(products=[product(i) for i in range(1, 3)])
    fake.install(no_network)
    return fake


def test_the_summary_appears_once(ozon, caplog):
    caplog.set_level(logging.INFO, logger="catalog.services.sync")
    out = io.StringIO()

    call_command("ozon_sync", stdout=out)

    # The project's LOGGING shows catalog.services' lines on the console (stderr): not this one a second time.
    logged = [r for r in caplog.records if r.name == "catalog.services.sync" and r.getMessage().startswith("sync ok")]
    assert out.getvalue().count("sync ok") == 1 and logged == []


def test_other_log_lines_still_pass_and_the_filter_is_gone_afterwards(ozon, caplog):
    caplog.set_level(logging.INFO, logger="catalog.services.sync")

    call_command("ozon_sync", stdout=io.StringIO())
    services.logger.info("%s", "sync ok: from the scheduler")

    assert [r.getMessage() for r in caplog.records if r.name == "catalog.services.sync"] == [
        "sync ok: from the scheduler"
    ]
    assert not services.logger.filters


def test_with_json_logs_the_summary_stays_a_log_record_with_its_run(ozon, caplog, settings):
    settings.LOG_FORMAT = "json"
    caplog.set_level(logging.INFO, logger="catalog.services.sync")
    out = io.StringIO()

    call_command("ozon_sync", stdout=out)

    logged = [r for r in caplog.records if r.name == "catalog.services.sync" and r.getMessage().startswith("sync ok")]
    assert out.getvalue().count("sync ok") == 1 and len(logged) == 1 and logged[0].run_id

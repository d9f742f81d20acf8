"""`manage.py ozon_sync` shows its summary once: the service's log line, or the command's own print."""

import io
import logging

import pytest
from django.core.management import call_command

from tests.catalog.fake_ozon import FakeOzon, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def ozon(no_network, ozon_credentials) -> FakeOzon:
    fake = FakeOzon(products=[product(i) for i in range(1, 3)])
    fake.install(no_network)
    return fake


def test_the_summary_appears_once(ozon, caplog):
    caplog.set_level(logging.INFO, logger="catalog.services")
    out = io.StringIO()

    call_command("ozon_sync", stdout=out)

    # The project's LOGGING shows catalog.services' line on the console: the command adds no second one.
    logged = [r for r in caplog.records if r.name == "catalog.services" and r.getMessage().startswith("sync ok")]
    assert len(logged) + out.getvalue().count("sync ok") == 1


def test_without_a_log_handler_the_command_prints_it(ozon, monkeypatch):
    monkeypatch.setattr("catalog.management.commands.ozon_sync._summary_is_logged", lambda level: False)
    out = io.StringIO()

    call_command("ozon_sync", stdout=out)

    assert out.getvalue().count("sync ok:") == 1

"""The core rows: one runtime-settings row, created from the environment; task leases taken, renewed, released."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from ozonprice.models import RuntimeSettings, TaskLease

pytestmark = pytest.mark.django_db


def test_the_runtime_settings_are_one_row_seeded_from_the_environment(settings):
    # The environment's Ozon credentials make an account instead (account_bootstrap).
    settings.MONITORING_INTERVAL, settings.PRICE_UPDATE_INTERVAL = 17, 4

    first = RuntimeSettings.load()
    second = RuntimeSettings(monitoring_interval=99)
    second.save()  # any save lands on the one row

    assert (first.monitoring_interval, first.price_update_interval) == (17, 4)
    assert RuntimeSettings.objects.count() == 1 and RuntimeSettings.load().monitoring_interval == 99


def test_a_lease_has_one_holder_until_it_is_released_or_runs_out():
    token = TaskLease.acquire("job", ttl=timedelta(minutes=5))

    assert token and TaskLease.acquire("job", ttl=timedelta(minutes=5)) is None
    assert not TaskLease.release("job", "someone-else")
    assert TaskLease.release("job", token)
    assert TaskLease.acquire("job", ttl=timedelta(minutes=5))


def test_a_renewal_extends_only_a_live_lease_of_its_owner():
    token = TaskLease.acquire("job", ttl=timedelta(minutes=1))

    assert TaskLease.renew("job", token, ttl=timedelta(minutes=5))
    assert not TaskLease.renew("job", "other", ttl=timedelta(minutes=5))
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert not TaskLease.renew("job", token, ttl=timedelta(minutes=5))  # ran out: another run may hold it
        assert TaskLease.acquire("job", ttl=timedelta(minutes=5))


def test_a_released_lease_cannot_be_renewed_back():
    token = TaskLease.acquire("job", ttl=timedelta(minutes=5))
    TaskLease.release("job", token)

    assert not TaskLease.renew("job", token, ttl=timedelta(minutes=5))

"""The scheduled audit-log purge: rows past the retention go, once per slot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from auditlog.models import ApiLogEntry
from auditlog.tasks import purge_logs
from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db


def test_rows_older_than_the_retention_are_purged_once_per_slot(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = ApiLogEntryFactory(timestamp=timezone.now() - timedelta(days=31))
    recent = ApiLogEntryFactory(timestamp=timezone.now() - timedelta(days=29))

    assert purge_logs() == "purged 1 audit rows older than 30 days"
    assert list(ApiLogEntry.objects.values_list("id", flat=True)) == [recent.id]
    assert not ApiLogEntry.objects.filter(id=old.id).exists()

    assert purge_logs().startswith("skipped")  # a second start in the same slot does nothing

"""The API log as the API lists it: newest first, only the listed columns."""

from datetime import timedelta

import pytest
from django.utils import timezone

from auditlog.selectors import LOG_FIELDS, api_log_list
from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db


def test_rows_come_newest_first_with_ties_broken_by_id_and_only_the_listed_columns():
    now = timezone.now()
    old = ApiLogEntryFactory(timestamp=now - timedelta(hours=1))
    first, second = ApiLogEntryFactory(timestamp=now), ApiLogEntryFactory(timestamp=now)

    rows = list(api_log_list())

    assert [r["id"] for r in rows] == [second.id, first.id, old.id]
    assert set(rows[0]) == set(LOG_FIELDS)

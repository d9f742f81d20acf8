"""An API-log row: stored with its direction and service, newest first, named for the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from auditlog.models import ApiLogEntry, Direction
from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db


def test_rows_list_newest_first_and_name_themselves():
    old = ApiLogEntryFactory(timestamp=timezone.now() - timedelta(minutes=1), direction=Direction.choices[0][0])
    new = ApiLogEntryFactory(timestamp=timezone.now())

    assert list(ApiLogEntry.objects.values_list("id", flat=True)) == [new.id, old.id]
    assert str(new)

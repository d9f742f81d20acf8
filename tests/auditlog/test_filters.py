"""The API-log filters: status as success, error or an HTTP code; anything else refused and named."""

import pytest

from auditlog.filters import ApiLogFilter
from auditlog.models import ApiLogEntry
from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db


def ids(data) -> set[int]:
    filterset = ApiLogFilter(data, queryset=ApiLogEntry.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("id", flat=True))


def test_status_filters_by_outcome_or_by_http_code():
    ok = ApiLogEntryFactory(success=True, status_code=200)
    bad_gateway = ApiLogEntryFactory(success=False, status_code=502)
    timeout = ApiLogEntryFactory(success=False, status_code=None)

    assert ids({"status": "success"}) == {ok.id}
    assert ids({"status": "error"}) == {bad_gateway.id, timeout.id}
    assert ids({"status": "502"}) == {bad_gateway.id}


@pytest.mark.parametrize("status", ["maybe", "99", "600", "２００"])
def test_another_status_is_refused_naming_the_field(status):
    filterset = ApiLogFilter({"status": status}, queryset=ApiLogEntry.objects.all())

    assert not filterset.is_valid() and "status" in filterset.errors

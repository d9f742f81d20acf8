"""The API-log list's query parameters: a day range in order, a status pattern, paging bounds."""

from datetime import date

import pytest

from auditlog.serializers import ApiLogParamsSerializer


def read(**params):
    serializer = ApiLogParamsSerializer(data=params)
    return serializer.is_valid(), (serializer.validated_data if serializer.is_valid() else serializer.errors)


def test_a_day_range_and_a_status_are_read():
    ok, values = read(start_date="2026-11-01", end_date="2026-11-01", status="502")

    assert ok and (values["start_date"], values["end_date"], values["status"]) == (
        date(2026, 11, 1),
        date(2026, 11, 1),
        "502",
    )


def test_an_end_before_the_start_is_named_on_end_date():
    ok, errors = read(start_date="2026-11-02", end_date="2026-11-01")

    assert not ok and set(errors) == {"end_date"}


@pytest.mark.parametrize("status", ["success", "error", "100", "599"])
def test_the_documented_statuses_are_accepted(status):
    assert read(status=status)[0]


@pytest.mark.parametrize("status", ["ok", "600", "099", "20", "5O2"])
def test_other_statuses_are_refused(status):
    ok, errors = read(status=status)

    assert not ok and set(errors) == {"status"}

"""The outgoing calls' error type: its message, and which statuses are worth repeating."""

import pytest

from ozonprice.clients.errors import ApiError, RateLimited, is_permanent_status


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_a_client_error_is_permanent(status):
    assert is_permanent_status(status)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_timeouts_rate_limits_and_server_errors_are_worth_repeating(status):
    assert not is_permanent_status(status)


def test_an_error_reads_as_its_message_and_keeps_what_the_caller_branches_on():
    error = ApiError("Ozon said no", service="ozon", endpoint="/v1/x", permanent=True, status=400, code=3)

    assert str(error) == "Ozon said no"
    assert (error.permanent, error.status, error.code, error.outcome_unknown) == (True, 400, 3, False)


def test_a_rate_limit_is_an_api_error_with_its_wait():
    limited = RateLimited("slow down", service="ozon", endpoint="/v1/x", permanent=False, status=429, retry_after=2.0)

    assert isinstance(limited, ApiError) and limited.retry_after == 2.0 and not limited.permanent

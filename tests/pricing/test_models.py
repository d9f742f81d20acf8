"""The pricing rows' derived values: a job's progress, a promotion's gap under MRPC, a request below MRPC."""

from decimal import Decimal

import pytest

from pricing.models import AdminJob, DiscountRequest, JobKind, JobStatus, PromoExit

D = Decimal


@pytest.mark.parametrize(
    ("status", "done", "total", "percent", "finished"),
    [
        (JobStatus.QUEUED, 0, 0, 0, False),
        (JobStatus.RUNNING, 1, 3, 33, False),
        (JobStatus.DONE, 1, 3, 100, True),
        (JobStatus.FAILED, 0, 10, 100, True),
    ],
)
def test_a_jobs_progress_is_whole_percent_and_100_once_finished(status, done, total, percent, finished):
    job = AdminJob(kind=JobKind.choices[0][0], status=status, done=done, total=total)

    assert (job.percent, job.finished) == (percent, finished)


def test_a_promotions_gap_is_how_far_the_action_price_is_under_mrpc():
    assert PromoExit(mrpc=D("1000"), action_price=D("950")).gap == D("50")
    assert PromoExit(mrpc=D("1000"), action_price=D("1010")).gap == D("-10")
    assert PromoExit(mrpc=None, action_price=D("950")).gap is None


def test_a_request_is_below_mrpc_only_when_both_are_known_and_lower():
    assert DiscountRequest(mrpc=D("1000"), requested_price=D("999.99")).below_mrpc
    assert not DiscountRequest(mrpc=D("1000"), requested_price=D("1000")).below_mrpc
    assert not DiscountRequest(mrpc=None, requested_price=D("1")).below_mrpc

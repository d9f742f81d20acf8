"""Background jobs started from the admin: ids only, run once, progress and outcome on the row."""

from decimal import Decimal

import pytest

from pricing.models import AdminJob, JobKind, JobStatus
from pricing.services import jobs
from pricing.services.jobs import admin_job_run, admin_job_start
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def test_the_task_gets_only_the_jobs_id(monkeypatch, account):
    queued = []
    monkeypatch.setattr(jobs, "async_task", lambda *args, **kwargs: queued.append((args, kwargs)))

    job = admin_job_start(kind=JobKind.SHOWCASE_FETCH, product_ids=[3, 1, 3], actor="anna")

    assert queued == [
        (("pricing.tasks.admin_job_run", job.pk), {"task_name": f"admin_job_{job.pk}", "group": "admin_job"})
    ]
    assert (job.status, job.product_ids, job.total) == (JobStatus.QUEUED, [1, 3], 2)
    assert job.params == {"account_id": account.pk}  # ids only: product ids are unique per account


def test_a_second_delivery_of_a_finished_job_does_nothing(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "prices_maintain", lambda **kwargs: calls.append(kwargs))
    job = AdminJob.objects.create(kind=JobKind.PRICES_UPDATE, status=JobStatus.DONE, total=1)

    assert admin_job_run(job_id=job.pk).status == JobStatus.DONE
    assert calls == []


def test_progress_is_stored_after_each_chunk_and_the_outcome_at_the_end(monkeypatch):
    seen = []

    class Result:
        source, fetched, updated, error, errors = "ozon_seller_price", 2, 1, "", [{"product_id": "7", "error": "x"}]

    def fetch(*, account, product_ids, on_progress):
        on_progress(1)
        seen.append((account, AdminJob.objects.get().done))
        return Result()

    monkeypatch.setattr(jobs, "showcase_prices_fetch", fetch)
    sku = SkuFactory(mrpc=Decimal("1"))
    job = AdminJob.objects.create(kind=JobKind.SHOWCASE_FETCH, product_ids=[1, 2], total=2)

    job = admin_job_run(job_id=job.pk)

    assert seen == [(sku.account, 1)]  # a job queued before accounts: the only account's
    assert (job.status, job.done, job.result["updated"], job.errors) == (JobStatus.DONE, 2, 1, Result.errors)
    assert job.percent == 100


def test_an_unexpected_error_fails_the_job_with_its_message(monkeypatch, account):
    def boom(**kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(jobs, "prices_maintain", boom)
    job = AdminJob.objects.create(kind=JobKind.PRICES_UPDATE, product_ids=[1], total=1)

    job = admin_job_run(job_id=job.pk)

    assert (job.status, job.error) == (JobStatus.FAILED, "database is locked")

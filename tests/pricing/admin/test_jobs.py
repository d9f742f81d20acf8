"""The managers' background jobs in the admin: the outcome in words, the progress page, a read-only list."""

import pytest
from django.urls import reverse

from pricing.admin.jobs import job_outcome
from pricing.models import AdminJob, JobKind, JobStatus
from tests.factories import superuser_client

pytestmark = pytest.mark.django_db
JOBS = reverse("admin:pricing_adminjob_changelist")


@pytest.fixture
def admin_client():
    return superuser_client("boss")


def done(kind, **result):
    return AdminJob(kind=kind, status=JobStatus.DONE, result=result)


PRICES = {"sent": 3, "rejected": 1, "failed": 0, "held": 2, "unchanged": 4}
GUARD = {
    "breaches": 5,
    "reported": 1,
    "removed": 3,
    "refused": 1,
    "failed": 0,
    "timers_lapsed": 2,
    "timers_renewed": 2,
    "declined": 1,
}


# --- the outcome in words -----------------------------------------------------------------------
@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_an_unfinished_job_tells_its_progress(status):
    assert job_outcome(AdminJob(kind=JobKind.PRICES_UPDATE, status=status, total=10, done=4)) == (
        "4 of 10 SKUs processed…"
    )


@pytest.mark.parametrize(
    ("job", "text"),
    [
        (
            done(JobKind.SHOWCASE_FETCH, fetched=10, updated=3),
            "Showcase prices read for 10 SKUs, 3 updated.",
        ),
        (
            done(JobKind.PRICES_UPDATE, **PRICES),
            "Sent 3, rejected by Ozon 1, failed 0, held for approval 2, already on Ozon 4.",
        ),
        (
            done(JobKind.PRICES_UPDATE, **PRICES, dry_run=True, planned=7),
            "Dry run (runtime settings): 7 changes planned, nothing sent.",
        ),
        (
            done(JobKind.GUARD_PROMOTIONS, **GUARD),
            "Promotions under MRPC: 5; reported 1, removed 3, refused by Ozon 1, no answer 0. Min-price timers "
            "lapsed 2, renewed 2. Discount requests declined 1.",
        ),
        (
            done(JobKind.IMAGE_PUSH, pushes=3, ok=2, failed=1, pending=0),
            "Pictures replaced on Ozon for 2 of 3 SKUs, failed 1.",
        ),
        (
            done(JobKind.IMAGE_PUSH, pushes=3, ok=0, failed=0, pending=1),
            "Pictures replaced on Ozon for 0 of 3 SKUs, failed 0. "
            "1 push is awaiting Ozon: it is checked again every few minutes.",
        ),
        (
            done(JobKind.PRICES_UPDATE, skipped=True),
            "Not run: another price run was in progress. Try again in a minute.",
        ),
        (
            done(JobKind.GUARD_PROMOTIONS, skipped=True),
            "Not run: another guard run was in progress. Try again in a minute.",
        ),
        (done(JobKind.SHOWCASE_FETCH), ""),
    ],
)
def test_a_finished_job_tells_its_result_per_kind(job, text):
    assert job_outcome(job) == text


def test_a_failed_job_tells_its_error_after_what_it_did():
    failed = AdminJob(kind=JobKind.SHOWCASE_FETCH, status=JobStatus.FAILED, error="no credentials")
    partial = done(JobKind.SHOWCASE_FETCH, fetched=2, updated=1)
    partial.error = "timeout"

    assert job_outcome(failed) == "Error: no credentials"
    assert job_outcome(partial) == "Showcase prices read for 2 SKUs, 1 updated. Error: timeout"


def test_a_price_job_tells_the_manager_how_many_changes_await_ozon():
    job = AdminJob(
        kind=JobKind.PRICES_UPDATE,
        status=JobStatus.DONE,
        result={"sent": 0, "rejected": 0, "failed": 0, "held": 0, "unchanged": 1, "in_flight": 2, "unknown": 1},
    )

    assert job_outcome(job).endswith("3 changes are awaiting Ozon (sent, not yet confirmed): not sent again.")


def test_a_running_jobs_page_refreshes_itself(admin_client):
    job = AdminJob.objects.create(kind=JobKind.SHOWCASE_FETCH, status=JobStatus.RUNNING, total=10, done=4)

    page = admin_client.get(reverse("admin:pricing_adminjob_change", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "4 of 10 SKUs processed" in page and 'aria-valuenow="40"' in page


# --- the pages -----------------------------------------------------------------------------------
def test_the_job_list_shows_status_and_outcome_and_filters_by_kind(admin_client):
    AdminJob.objects.create(kind=JobKind.SHOWCASE_FETCH, status=JobStatus.DONE, result={"fetched": 9, "updated": 1})
    AdminJob.objects.create(kind=JobKind.IMAGE_PUSH, status=JobStatus.FAILED, error="no credentials")

    page = admin_client.get(JOBS)
    pushes = admin_client.get(JOBS, {"kind__exact": "image_push"})

    assert page.status_code == 200
    text = page.content.decode()
    assert '<span class="job-status job-done">done</span>' in text
    assert "Showcase prices read for 9 SKUs, 1 updated." in text and "Error: no credentials" in text
    assert [job.kind for job in pushes.context["cl"].result_list] == [JobKind.IMAGE_PUSH]


def test_a_finished_jobs_page_lists_its_item_errors_and_stops_refreshing(admin_client):
    errors = [{"product_id": str(n), "error": f"Ozon said no to {n}"} for n in range(250)]
    job = AdminJob.objects.create(kind=JobKind.IMAGE_PUSH, status=JobStatus.DONE, errors=errors)

    response = admin_client.get(reverse("admin:pricing_adminjob_change", args=[job.pk]))

    assert len(response.context["job_errors"]) == 200  # a page, not the whole list
    page = response.content.decode()
    assert "Ozon said no to 199" in page and "Ozon said no to 200" not in page
    assert "refresh" not in page


def test_a_job_cannot_be_added_edited_or_deleted_even_by_a_superuser(admin_client):
    job = AdminJob.objects.create(kind=JobKind.SHOWCASE_FETCH, status=JobStatus.DONE, created_by="boss")
    change = reverse("admin:pricing_adminjob_change", args=[job.pk])

    assert 'name="_save"' not in admin_client.get(change).content.decode()
    assert admin_client.post(change, {"status": JobStatus.FAILED}).status_code == 403
    assert admin_client.get(reverse("admin:pricing_adminjob_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:pricing_adminjob_delete", args=[job.pk]), {"post": "yes"}).status_code == 403
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_job_that_does_not_exist_is_not_a_server_error(admin_client):
    response = admin_client.get(reverse("admin:pricing_adminjob_change", args=[987654]), follow=True)

    assert response.status_code == 200 and response.request["PATH_INFO"] == reverse("admin:index")

"""The guard's doors: the scheduled task (lease and slot), the command, the admin's bulk action and the API."""

import ast
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_q.models import Schedule
from rest_framework.test import APIClient

from ozonprice.accounts import account_run_name
from ozonprice.leases import task_lease
from ozonprice.models import RuntimeSettings
from ozonprice.schedule import TaskFailed, schedules_install
from ozonprice.services import api_secret_generate
from pricing import tasks
from pricing.models import AdminJob, JobKind, JobStatus, PromoExit, PromoOutcome, Reason
from pricing.services.guard import LEASE
from tests.factories import SkuFactory, UserFactory, account_default
from tests.fakes.actions import FakeActions

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/products/guard-promotions"


@pytest.fixture
def ozon(no_network, ozon_credentials, settings) -> FakeActions:
    settings.OZON_RATE_LIMIT = 0
    SkuFactory(product_id=1001, sku=5001, offer_id="ART-1", mrpc=D("1000"), active=True)
    SkuFactory(product_id=1002, sku=5002, offer_id="ART-2", mrpc=D("1000"), active=True)
    fake = FakeActions(actions={71: {"title": "Ozon sale", "products": {1001: D("900"), 1002: D("850")}}})
    return fake.install(no_network)


def guard_mode(value: str) -> None:
    account = account_default()
    account.promo_guard_mode = value
    account.save()


# --- the scheduled task ------------------------------------------------------------------------
def test_the_guard_is_scheduled_every_guard_interval_minutes_for_each_account(account):
    rs = RuntimeSettings.load()
    rs.guard_interval = 7
    rs.save()

    schedules_install()

    schedule = Schedule.objects.get(name=account_run_name("guard_promotions", account))
    assert (schedule.func, schedule.minutes) == ("pricing.tasks.guard_promotions", 7)
    assert ast.literal_eval(schedule.kwargs) == {"account_id": account.pk}  # as django-q's scheduler reads it


def test_the_task_runs_once_per_slot(ozon):
    with time_machine.travel("2026-11-23 10:00:00Z", tick=False):
        assert tasks.guard_promotions().startswith("guard report ok")
        assert tasks.guard_promotions().startswith("skipped")
    with time_machine.travel("2026-11-23 10:05:01Z", tick=False):  # half the 10-minute interval later
        assert tasks.guard_promotions().startswith("guard report ok")
    assert PromoExit.objects.count() == 2  # the standing reports were not written again


def test_the_task_skips_while_another_guard_run_holds_the_lease(ozon):
    with task_lease(f"{LEASE}:{account_default().pk}"):
        assert "another guard run" in tasks.guard_promotions()
    assert len(ozon_calls(ozon)) == 0


def ozon_calls(fake: FakeActions) -> list:
    return fake.deactivated + fake.renewed


def test_a_failing_run_fails_the_task_with_its_summary(no_network, ozon_credentials):
    with pytest.raises(TaskFailed, match="FAILED"):
        tasks.guard_promotions()  # no Ozon answers at all


# --- the command ---------------------------------------------------------------------------------
def test_the_command_prints_one_summary_line_and_a_dry_run_changes_nothing(ozon, capsys):
    guard_mode("remove")

    call_command("guard_promotions", "--dry-run", "--product-id", "1001")

    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Ozon: guard remove dry-run ok: promotions under MRPC 1, reported 1")
    assert ozon.deactivated == []
    assert PromoExit.objects.get().actor == "cli"


def test_the_command_exits_non_zero_on_failure(no_network, ozon_credentials):
    with pytest.raises(CommandError, match="FAILED"):
        call_command("guard_promotions")


# --- the admin's bulk action ---------------------------------------------------------------------
def test_guard_promotions_now_runs_on_the_selected_skus_as_a_background_job(ozon):
    guard_mode("remove")
    client = APIClient()
    user = UserFactory(superuser=True)
    client.force_login(user)
    chosen = SkuFactory._meta.model.objects.get(product_id=1002)

    response = client.post(
        reverse("admin:catalog_sku_changelist"),
        {"action": "guard_promotions", "_selected_action": [chosen.pk], "index": 0},
        follow=True,
    )

    job = AdminJob.objects.get()
    assert (job.kind, job.status, job.product_ids) == (JobKind.GUARD_PROMOTIONS, JobStatus.DONE, [1002])
    assert (job.result["removed"], job.result["breaches"]) == (1, 1)
    assert [d["product_ids"] for d in ozon.deactivated] == [[1002]]
    row = PromoExit.objects.get()
    assert (row.outcome, row.reason, row.actor) == (PromoOutcome.REMOVED, Reason.ADMIN, user.get_username())
    assert "Promotions under MRPC: 1; reported 0, removed 1" in response.content.decode()


# --- the API ----------------------------------------------------------------------------------------
def api() -> APIClient:
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def test_the_api_guards_and_answers_the_counts(ozon):
    guard_mode("remove")
    ozon.rejections[(71, 1002)] = "frozen"

    response = api().post(URL, {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "partial",
        "account": account_default().pk,
        "mode": "remove",
        "breaches": 2,
        "removed": 1,
        "refused": 1,
        "reported": 0,
        "timers_renewed": 2,
        "timers_lapsed": 2,
        "requests_declined": 0,
        "errors": [{"product_id": "1002", "error": "frozen"}],
    }
    assert PromoExit.objects.filter(reason=Reason.API).count() == 2


def test_an_api_dry_run_reports_and_changes_nothing(ozon):
    guard_mode("remove")

    body = api().post(URL, {"product_ids": ["1001"], "dry_run": True}, format="json").json()

    assert (body["status"], body["reported"], body["removed"]) == ("success", 1, 0)
    assert ozon.deactivated == [] and ozon.renewed == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product_ids": [1001]}, "product_ids"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"product_id": ["1001"]}, "product_id"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ozon, body, field):
    response = api().post(URL, body, format="json")

    assert response.status_code == 400 and field in response.json()["errors"]
    assert ozon.writes == 0


def test_a_staff_user_without_change_sku_gets_403(ozon):
    client = APIClient()
    client.force_login(UserFactory(staff=True, permissions=["catalog.view_sku"]))

    assert client.post(URL, {}, format="json").status_code == 403


def test_a_run_already_in_progress_is_a_409(ozon):
    with task_lease(f"{LEASE}:{account_default().pk}"):
        response = api().post(URL, {}, format="json")

    assert response.status_code == 409 and response.json()["status"] == "skipped"

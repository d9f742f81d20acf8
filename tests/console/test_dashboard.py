"""The dashboard on the admin index: what needs attention, with links to the filtered lists, and the last runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pricing.models import AdminJob, ChangeStatus, JobKind, JobStatus, PriceChange
from tests.factories import ApiLogEntryFactory, SkuFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


def test_the_dashboard_counts_what_needs_attention_with_links_to_the_lists(admin_client):
    SkuFactory.create_batch(2, active=True, mrpc=D("900"), front_price=D("950"))
    SkuFactory(offer_id="LOW-1", mrpc=D("1000"), front_price=D("940"))
    sku = SkuFactory()
    for status in (ChangeStatus.HELD, ChangeStatus.FAILED, ChangeStatus.REJECTED, ChangeStatus.SENT):
        PriceChange.objects.create(
            sku=sku, status=status, expected_price=D("1"), expected_old_price=D("0"), expected_min_price=D("1")
        )
    ApiLogEntryFactory(service="ozon", success=False, status_code=500)
    ApiLogEntryFactory(service="ozon", success=False, status_code=500, timestamp=timezone.now() - timedelta(days=2))
    ApiLogEntryFactory(service="ozon", success=True)
    AdminJob.objects.create(kind=JobKind.PRICES_UPDATE, status=JobStatus.DONE, total=3, created_by="anna")

    response = admin_client.get(reverse("admin:index"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="stat-active"' in page
    for stat, number in [
        ("active", 2),
        ("below", 1),
        ("held", 1),
        ("failed", 1),
        ("rejected", 1),
        ("in-flight", 1),
        ("ozon-errors", 1),
    ]:
        card = page.split(f'id="stat-{stat}"')[1].split("</a>")[0]
        assert f'<span class="stat-value">{number}</span>' in card, stat
    assert "LOW-1" in page and "−60" in page
    assert f"{SKUS}?below_mrpc=yes" in page
    assert "status__exact=held" in page
    assert "Catalogue sync" in page and "Price maintenance" in page and "Verification" in page


def test_the_dashboards_links_open_the_filtered_lists(admin_client):
    from console.dashboard import dashboard_get

    SkuFactory(mrpc=D("1000"), front_price=D("940"))
    ApiLogEntryFactory(service="ozon", success=False, status_code=500)
    dash = dashboard_get()

    for key in (
        "active_url",
        "below_url",
        "held_url",
        "in_flight_url",
        "failed_url",
        "rejected_url",
        "ozon_errors_url",
    ):
        response = admin_client.get(dash[key])
        assert response.status_code == 200, key
        assert "?e=1" not in response.get("Location", ""), key
    assert admin_client.get(dash["ozon_errors_url"]).context["cl"].result_count == 1
    assert admin_client.get(dash["below_url"]).context["cl"].result_count == 1


def test_the_dashboard_shows_the_last_task_runs(admin_client):
    from django_q.models import Task

    now = timezone.now()
    Task.objects.create(
        id="a" * 32,
        name="t1",
        func="catalog.tasks.monitor_products",
        started=now,
        stopped=now,
        success=True,
        result="sync ok",
        group="monitor_products",
    )
    Task.objects.create(
        id="b" * 32,
        name="t2",
        func="pricing.tasks.maintain_mrpc_prices",
        started=now,
        stopped=now,
        success=False,
        result="maintain FAILED",
        group="maintain_mrpc_prices",
    )

    from console.dashboard import dashboard_get

    tasks = {t.name: t for t in dashboard_get()["tasks"]}
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert (tasks["monitor_products"].success, tasks["maintain_mrpc_prices"].success) == (True, False)
    assert tasks["verify_price_changes"].stopped is None
    assert 'title="maintain FAILED"' in page


def test_staff_without_rights_see_no_dashboard_numbers():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(staff=True))

    page = client.get(reverse("admin:index")).content.decode()

    assert 'id="dashboard"' in page  # staff see the console; their lists are still permission-checked


def test_the_tasks_table_reads_the_per_account_runs_and_the_guard_mode_comes_from_the_accounts():
    from console.dashboard import dashboard_get
    from ozonprice.models import PromoGuardMode, TaskRun
    from tests.factories import AccountFactory, account_default

    account = account_default()
    now = timezone.now()
    TaskRun.objects.create(
        name=f"verify_price_changes:{account.pk}", started_at=now, stopped_at=now, success=False, summary="late"
    )

    dash = dashboard_get()
    tasks = {t.name: t for t in dash["tasks"]}
    assert (tasks["verify_price_changes"].success, tasks["verify_price_changes"].result) == (False, "late")
    assert dash["guard"]["guard_mode"] == PromoGuardMode(account.promo_guard_mode).label
    assert dash["dry_run"] == []

    AccountFactory(name="Brand LLC", promo_guard_mode=PromoGuardMode.REMOVE, dry_run=True)
    dash = dashboard_get()
    assert "Brand LLC: " in dash["guard"]["guard_mode"] and "Ozon: " in dash["guard"]["guard_mode"]
    assert dash["dry_run"] == ["Brand LLC"]

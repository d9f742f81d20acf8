"""The one approval screen for held changes, reached from the SKU list and from the price change log."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing.models import AdminJob, ChangeStatus, JobKind, PriceChange
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal
CHANGES = reverse("admin:pricing_pricechange_changelist")
SKUS = reverse("admin:catalog_sku_changelist")


def change(sku, status=ChangeStatus.HELD, price="2500") -> PriceChange:
    return PriceChange.objects.create(
        sku=sku,
        status=status,
        expected_price=D(price),
        expected_old_price=D("0"),
        expected_min_price=D(price),
        price_before=D("1000"),
    )


def post(client, url, action, pks, **data):
    body = {"action": action, "_selected_action": pks, **data}
    if not data:
        body["index"] = 0
    return client.post(url, body, follow=True)


def test_the_change_log_asks_first_and_lists_only_held_changes(admin_client):
    held = change(SkuFactory(offer_id="Q-1"))
    sent = change(SkuFactory(offer_id="S-1"), status=ChangeStatus.SENT, price="1100")

    page = post(admin_client, CHANGES, "approve", [held.pk, sent.pk])

    body = page.content.decode()
    assert page.templates[0].name == "admin/pricing/approve_changes.html"
    assert "Q-1" in body and "S-1" not in body and "+150 %" in body
    held.refresh_from_db()
    assert held.status == ChangeStatus.HELD  # nothing is approved before the manager confirms


def test_the_change_log_releases_only_the_ticked_changes(admin_client):
    ticked, unticked = change(SkuFactory()), change(SkuFactory())

    post(admin_client, CHANGES, "approve", [ticked.pk, unticked.pk], change=[ticked.pk], apply="1")

    ticked.refresh_from_db()
    unticked.refresh_from_db()
    assert (ticked.status, unticked.status) == (ChangeStatus.PLANNED, ChangeStatus.HELD)
    assert ticked.approved_by.startswith("user")


def test_send_now_starts_a_price_job_for_the_approved_skus(admin_client):
    held = change(SkuFactory(product_id=4242))

    page = post(admin_client, CHANGES, "approve", [held.pk], change=[held.pk], apply="1", send_now="1")

    job = AdminJob.objects.get()
    assert job.kind == JobKind.PRICES_UPDATE and job.total == 1
    assert page.redirect_chain[-1][0] == reverse("admin:pricing_adminjob_change", args=[job.pk])


def test_both_doors_show_the_same_screen(admin_client):
    sku = SkuFactory(offer_id="Q-2")
    held = change(sku)

    from_log = post(admin_client, CHANGES, "approve", [held.pk])
    from_list = post(admin_client, SKUS, "approve_quarantined", [sku.pk])

    assert from_log.templates[0].name == from_list.templates[0].name == "admin/pricing/approve_changes.html"
    assert list(from_log.context["changes"]) == list(from_list.context["changes"]) == [held]


def test_a_selection_without_held_changes_says_so(admin_client):
    sent = change(SkuFactory(), status=ChangeStatus.SENT, price="1100")

    page = post(admin_client, CHANGES, "approve", [sent.pk])

    assert "no price change waiting" in " ".join(str(m) for m in page.context["messages"])

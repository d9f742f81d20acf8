"""The SKU list's bulk actions: thin verbs over the pricing services, with previews and jobs."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from pricing.models import AdminJob, ChangeStatus, JobKind, JobStatus, PriceChange, PriceHistory
from tests.factories import SkuFactory, UserFactory, account_default
from tests.fakes.ozon import FakeOzon, product

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


def console(language: str | None = "en") -> Client:
    client = Client(headers={"Accept-Language": language} if language else {})
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.fixture
def admin_client():
    return console()


def act(client, action: str, skus, **data):
    """Post an action as the changelist does (first step) or as its own page does (later steps)."""
    body = {"action": action, "_selected_action": [s.pk for s in skus], **data}
    if not data:
        body["index"] = 0
    return client.post(SKUS, body, follow=not data or "apply" in data)


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- activate / deactivate -----------------------------------------------------


def test_activation_switches_eligible_skus_on_and_names_each_refusal(admin_client):
    ok = SkuFactory(offer_id="OK-1", mrpc=D("1000"))
    sold_out = SkuFactory(offer_id="OUT-1", mrpc=D("1000"), available=False)
    no_mrpc = SkuFactory(offer_id="NOMRPC-1", mrpc=None)
    no_showcase = SkuFactory(offer_id="NOSHOW-1", mrpc=D("1000"), front_price=None)

    response = act(admin_client, "activate", [ok, sold_out, no_mrpc, no_showcase])

    assert set(Sku.objects.filter(active=True).values_list("offer_id", flat=True)) == {"OK-1"}
    messages = texts(response)
    assert "Price maintenance is on for 1 SKU." in messages
    assert "OUT-1: Product is not available" in messages
    assert "NOMRPC-1: MRPC is not set" in messages
    assert "NOSHOW-1: No showcase price" in messages


def test_activation_refusals_read_in_russian_by_default(settings):
    settings.LANGUAGE_CODE = "ru"  # the product's default (the suite reads English)
    client = console(None)  # no Accept-Language: LANGUAGE_CODE decides
    skus = [
        SkuFactory(offer_id="OUT-1", mrpc=D("1000"), available=False),
        SkuFactory(offer_id="NOMRPC-1", mrpc=None),
        SkuFactory(offer_id="NOSHOW-1", mrpc=D("1000"), front_price=None),
    ]

    messages = texts(act(client, "activate", skus))

    assert "OUT-1: Товар не доступен" in messages
    assert "NOMRPC-1: Не установлено МРЦ" in messages
    assert "NOSHOW-1: Нет цены на витрине" in messages


def test_refusals_beyond_twenty_are_counted_not_listed(admin_client):
    skus = SkuFactory.create_batch(25, available=False)

    messages = texts(act(admin_client, "activate", skus))

    assert "…and 5 more rows like these." in messages
    assert len([m for m in messages if "Product is not available" in m]) == 20


def test_deactivation_switches_maintenance_off(admin_client):
    skus = SkuFactory.create_batch(3, active=True, mrpc=D("900"))

    messages = texts(act(admin_client, "deactivate", skus[:2]))

    assert "Price maintenance is off for 2 SKUs." in messages
    assert Sku.objects.filter(active=True).count() == 1


# --- set MRPC / discount --------------------------------------------------------


def test_set_mrpc_opens_a_form_listing_the_selection(admin_client):
    skus = SkuFactory.create_batch(2)

    response = act(admin_client, "set_mrpc", skus)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/catalog/sku/edit_prices.html"
    page = response.content.decode()
    assert skus[0].offer_id in page and skus[1].offer_id in page
    assert 'name="apply"' not in page  # no save before a preview


def test_the_mrpc_preview_shows_targets_and_marks_rows_ozon_would_refuse(admin_client):
    fine = SkuFactory(offer_id="FINE", discount=D("20"), price=D("1000"), active=True)
    # 300 ₽ with a 3 % discount: a 9 ₽ gap, under Ozon's 20 ₽ minimum.
    refused = SkuFactory(offer_id="TOO-SMALL", discount=D("3"), price=D("300"))

    response = act(admin_client, "set_mrpc", [fine, refused], common="1200", preview="1")

    rows = {row.sku.offer_id: row for _sku, _own, row in response.context["rows"]}
    assert rows["FINE"].status == "send"
    assert (rows["FINE"].targets.price, rows["FINE"].targets.old_price, rows["FINE"].shown_discount) == (
        D("1200.00"),
        D("1500"),
        D("20"),
    )
    assert rows["TOO-SMALL"].status == "error"
    assert "smallest that works" in rows["TOO-SMALL"].note
    assert Sku.objects.filter(mrpc__isnull=False).count() == 0  # a preview saves nothing
    page = response.content.decode()
    assert "Save for 1 SKU" in page and "1 refused" in page


def test_a_rows_own_value_wins_over_the_common_one(admin_client):
    a, b = SkuFactory(offer_id="A"), SkuFactory(offer_id="B")

    act(admin_client, "set_mrpc", [a, b], common="1000", **{f"value-{b.pk}": "1490,50"}, apply="1")

    assert dict(Sku.objects.values_list("offer_id", "mrpc")) == {"A": D("1000.00"), "B": D("1490.50")}


def test_saving_stores_valid_rows_and_reports_the_refused_ones(admin_client):
    fine = SkuFactory(offer_id="FINE", discount=D("20"))
    refused = SkuFactory(offer_id="TOO-SMALL", discount=D("3"))

    response = act(admin_client, "set_mrpc", [fine, refused], common="300", apply="1")

    assert Sku.objects.get(pk=fine.pk).mrpc == D("300")
    assert Sku.objects.get(pk=refused.pk).mrpc is None
    messages = texts(response)
    assert "MRPC saved for 1 SKU." in messages
    assert any(m.startswith("TOO-SMALL: A 3") for m in messages)


def test_set_discount_previews_the_crossed_out_price_buyers_will_see(admin_client):
    sku = SkuFactory(offer_id="D-1", mrpc=D("2000"), price=D("2000"), old_price=D("0"), active=True)

    response = act(admin_client, "set_discount", [sku], common="25", preview="1")

    row = response.context["rows"][0][2]
    assert (row.targets.old_price, row.shown_discount, row.status) == (D("2667"), D("25"), "send")
    assert "Sent to Ozon by the next price run" in response.content.decode()
    act(admin_client, "set_discount", [sku], common="25", apply="1")
    assert Sku.objects.get(pk=sku.pk).discount == D("25")


def test_a_change_over_half_the_price_is_previewed_as_held_for_approval(admin_client):
    sku = SkuFactory(price=D("1000"))

    response = act(admin_client, "set_mrpc", [sku], common="2500", preview="1")

    assert response.context["rows"][0][2].status == "held"


def test_an_empty_form_asks_for_a_value(admin_client):
    sku = SkuFactory()

    response = act(admin_client, "set_mrpc", [sku], common="", preview="1")

    assert response.context["stage"] == "form"
    assert "Enter a value for all SKUs or for some rows." in texts(response)


def test_a_selection_too_big_for_one_form_points_to_import(admin_client):
    skus = SkuFactory.create_batch(301)

    response = act(admin_client, "set_mrpc", skus)

    assert any("at most 300 SKUs" in m for m in texts(response))


# --- remote work: jobs ---------------------------------------------------------


@pytest.fixture
def ozon(no_network, ozon_credentials) -> FakeOzon:
    fake = FakeOzon(products=[product(i, price="1000.00", old_price="0", min_price="900.00") for i in range(1, 4)])
    fake.install(no_network)
    from tests.pricing.services.test_maintain import client

    sku_sync_all(client=client())
    Sku.objects.update(account=account_default(), mrpc=D("1100"), discount=D("20"), active=True, front_price=D("1000"))
    return fake


def test_update_prices_shows_maintenances_dry_run_before_sending(admin_client, ozon):
    skus = list(Sku.objects.order_by("id"))
    Sku.objects.filter(pk=skus[2].pk).update(active=False)

    response = act(admin_client, "update_prices", skus)

    preview = response.context["preview"]
    assert preview.counts["send"] == 2 and preview.counts["skipped"] == 1
    rows = {row.sku.offer_id: row for row in preview.rows}
    assert (rows["ART-0001"].targets.price, rows["ART-0001"].targets.old_price) == (D("1100"), D("1375"))
    assert rows["ART-0003"].note == "Price maintenance is off"
    assert ozon.imports == []  # nothing sent by the preview


def test_confirming_the_update_runs_a_job_that_sends_and_reports(admin_client, ozon):
    skus = list(Sku.objects.order_by("id"))

    response = act(admin_client, "update_prices", skus, apply="1")

    job = AdminJob.objects.get()
    assert (job.kind, job.status, job.total, job.done) == (JobKind.PRICES_UPDATE, JobStatus.DONE, 3, 3)
    assert job.result["sent"] == 3
    assert response.redirect_chain[-1][0] == reverse("admin:pricing_adminjob_change", args=[job.pk])
    page = response.content.decode()
    assert "Sent 3, rejected by Ozon 0" in page
    assert "refresh" not in page  # a finished job's page stops refreshing
    assert PriceHistory.objects.filter(reason="admin", actor=job.created_by).count() == 3


def test_fetch_showcase_prices_runs_as_a_job(admin_client, ozon):
    skus = list(Sku.objects.order_by("id"))

    act(admin_client, "fetch_showcase_prices", skus)

    job = AdminJob.objects.get()
    assert (job.kind, job.status, job.result["fetched"]) == (JobKind.SHOWCASE_FETCH, JobStatus.DONE, 3)


def test_a_job_failing_upstream_is_shown_as_failed_with_the_error(admin_client, no_network, account):
    account.api_key = ""  # the account's Ozon credentials are not configured
    account.save()
    sku = SkuFactory(account=account)

    act(admin_client, "fetch_showcase_prices", [sku])

    job = AdminJob.objects.get()
    assert job.status == JobStatus.FAILED and "credentials" in job.error


def test_approving_quarantined_changes_lists_them_then_releases_them(admin_client):
    sku = SkuFactory(offer_id="Q-1", price=D("1000"))
    held = PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.HELD,
        expected_price=D("2500"),
        expected_old_price=D("0"),
        expected_min_price=D("2500"),
        price_before=D("1000"),
    )

    page = act(admin_client, "approve_quarantined", [sku])
    assert "+150 %" in page.content.decode()

    act(admin_client, "approve_quarantined", [sku], change=[held.pk], apply="1")  # "send now" left unticked
    held.refresh_from_db()
    assert held.status == ChangeStatus.PLANNED
    assert held.approved_by.startswith("user")


def test_approving_without_held_changes_says_so(admin_client):
    sku = SkuFactory()

    assert "no price change waiting" in " ".join(texts(act(admin_client, "approve_quarantined", [sku])))

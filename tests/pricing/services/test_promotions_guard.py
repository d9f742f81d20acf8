"""The promotion guard: report changes nothing on Ozon, remove takes out only what breaks MRPC, calls stay bounded."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - to simulate a timeout on the mock
from django.utils import timezone

from catalog.models import Sku
from ozonprice.clients.ozon import OzonClient
from ozonprice.leases import task_lease
from pricing.models import PromoExit, PromoKind, PromoOutcome, Reason
from pricing.services.guard import LEASE
from pricing.services.promotions import promotions_guard
from tests.factories import SkuFactory, account_default
from tests.fakes.actions import FakeActions
from tests.fakes.ozon import fake_ozon_client

pytestmark = pytest.mark.django_db
D = Decimal


def client() -> OzonClient:
    return fake_ozon_client(api_key="guard-key")


def mode(promo: str = "report", requests_mode: str = "manual", **extra) -> None:
    # The guard's modes are the account's (per-account settings).
    account = account_default()
    account.promo_guard_mode, account.discount_requests_mode = promo, requests_mode
    for name, value in extra.items():
        setattr(account, name, value)
    account.save()


@pytest.fixture
def skus():
    """Three SKUs under maintenance at MRPC 1000, and one without maintenance."""
    rows = [SkuFactory(product_id=1000 + i, sku=5000 + i, mrpc=D("1000"), active=True) for i in (1, 2, 3)]
    rows.append(SkuFactory(product_id=1004, sku=5004, mrpc=D("1000"), active=False))
    return rows


@pytest.fixture
def ozon(no_network, skus) -> FakeActions:
    far = timezone.now() + timedelta(days=5)
    fake = FakeActions(
        actions={
            71: {"title": "Ozon sale", "products": {1001: D("900"), 1002: D("1000"), 1004: D("800"), 9999: D("1")}},
            72: {"title": "Empty", "products": {}, "is_participating": False},
        },
        seller_actions={
            55: {"title": "My discount", "products": {1003: (5003, D("950"), True), 1002: (5002, D("900"), False)}},
        },
        timers={1001: far, 1002: far, 1003: far},
    )
    return fake.install(no_network)


def exits(**filters) -> list[tuple]:
    return sorted(
        PromoExit.objects.filter(**filters).values_list(
            "sku__product_id", "action_kind", "action_id", "action_price", "outcome", "standing"
        )
    )


def test_report_mode_records_each_breach_and_changes_nothing_on_ozon(ozon):
    mode("report")

    result = promotions_guard(client=client())

    assert result.ok, result.error
    assert (result.breaches, result.reported, result.removed) == (2, 2, 0)
    assert exits() == [
        (1001, PromoKind.OZON, 71, D("900.00"), PromoOutcome.REPORTED, True),
        (1003, PromoKind.SELLER, 55, D("950.00"), PromoOutcome.REPORTED, True),
    ]  # at MRPC (1002), inactive in the seller's (1002), not under maintenance (1004), unknown (9999): not breaches
    assert ozon.writes == 0
    row = PromoExit.objects.get(action_id=71)
    assert (row.action_title, row.mrpc, row.gap, row.reason) == (
        "Ozon sale",
        D("1000.00"),
        D("100.00"),
        Reason.SCHEDULED,
    )


def test_a_dry_run_in_remove_mode_only_reports(ozon):
    mode("remove")

    result = promotions_guard(client=client(), dry_run=True)

    assert (result.reported, result.removed, ozon.writes) == (2, 0, 0)


def test_a_breach_that_stands_is_not_written_again_and_is_closed_once_gone(ozon):
    mode("report")
    promotions_guard(client=client())
    promotions_guard(client=client())

    assert PromoExit.objects.count() == 2

    ozon.actions[71]["products"][1001] = D("880")  # the promotion got deeper: a new row
    ozon.seller_actions[55]["products"].pop(1003)  # the seller took it out: no longer standing
    promotions_guard(client=client())

    assert exits(standing=True) == [(1001, PromoKind.OZON, 71, D("880.00"), PromoOutcome.REPORTED, True)]
    assert PromoExit.objects.count() == 3


def test_remove_mode_takes_out_only_the_products_under_mrpc_and_records_ozons_refusals(ozon):
    mode("remove")
    ozon.actions[73] = {"title": "Frozen", "products": {1002: D("700"), 1003: D("990")}}
    ozon.rejections[(73, 1002)] = "Нельзя удалить товар из акции после её заморозки"

    result = promotions_guard(client=client(), reason=Reason.ADMIN, actor="anna")

    assert result.ok, result.error
    assert (result.breaches, result.removed, result.refused) == (4, 3, 1)
    assert sorted((d["action_id"], sorted(d["product_ids"])) for d in ozon.deactivated) == [
        (71, [1001]),
        (73, [1002, 1003]),
    ]
    assert ozon.deleted == [{"action_id": 55, "skus": ["5003"]}]
    assert 1004 in ozon.actions[71]["products"]  # not under maintenance: left alone
    refused = PromoExit.objects.get(outcome=PromoOutcome.REFUSED)
    assert (refused.sku.product_id, refused.error_message, refused.standing) == (
        1002,
        "Нельзя удалить товар из акции после её заморозки",
        True,
    )
    assert (refused.reason, refused.actor) == (Reason.ADMIN, "anna")
    assert not PromoExit.objects.filter(outcome=PromoOutcome.REMOVED, standing=True).exists()
    assert result.errors == [{"product_id": "1002", "error": "Нельзя удалить товар из акции после её заморозки"}]


def test_a_removal_closes_the_standing_report_of_the_same_breach(ozon):
    mode("report")
    promotions_guard(client=client())
    mode("remove")

    promotions_guard(client=client())

    assert exits(standing=True) == []
    assert {row[4] for row in exits()} == {PromoOutcome.REPORTED, PromoOutcome.REMOVED}


def test_a_removal_without_an_answer_is_recorded_and_not_sent_again(ozon):
    mode("remove")
    ozon.failures["/v1/actions/products/deactivate"] = [(0, requests.ReadTimeout("slow"))]

    result = promotions_guard(client=client())

    assert result.calls["/v1/actions/products/deactivate"] == 1
    assert result.failed == 1 and result.ok  # not permanent: the next run reads back
    assert exits(outcome=PromoOutcome.FAILED) == [(1001, PromoKind.OZON, 71, D("900.00"), PromoOutcome.FAILED, True)]


def test_a_promotion_list_ozon_cannot_serve_fails_the_run_and_closes_nothing(ozon):
    mode("report")
    promotions_guard(client=client())
    ozon.actions[71]["products"].pop(1001)
    ozon.failures["/v1/actions"] = [(500, {"code": 13, "message": "Internal error"})] * 2

    result = promotions_guard(client=client())

    assert not result.ok and "Internal error" in result.error
    assert len(exits(standing=True)) == 2  # the Ozon promotion could not be read: its report stands


def test_mode_off_reads_no_promotion(ozon):
    mode("off")

    result = promotions_guard(client=client())

    assert result.ok and result.breaches == 0
    assert set(result.calls) == {"/v2/actions/discounts-task/list"}


def test_a_run_while_another_holds_the_lease_is_skipped(ozon):
    with task_lease(f"{LEASE}:{account_default().pk}"):
        result = promotions_guard(client=client())

    assert result.skipped and "skipped" in result.summary()
    assert result.calls == {}


def test_the_given_products_are_guarded_even_without_maintenance(ozon):
    mode("remove")

    result = promotions_guard(client=client(), product_ids=[1004])

    assert result.removed == 1 and [d["product_ids"] for d in ozon.deactivated] == [[1004]]


def test_calls_per_endpoint_stay_within_the_documented_bounds(no_network):
    mode("remove")
    n = 2500
    Sku.objects.bulk_create(
        Sku(
            account=account_default(),
            product_id=10_000 + i,
            offer_id=f"A-{i}",
            sku=50_000 + i,
            mrpc=D("1000"),
            active=True,
            available=True,
        )
        for i in range(n)
    )
    half = {10_000 + i: D("900") for i in range(0, n, 2)}  # 1250 under MRPC
    at_mrpc = {10_000 + i: D("1000") for i in range(1, n, 2)}
    fake = FakeActions(
        actions={1: {"title": "A", "products": {**half, **at_mrpc}}, 2: {"title": "B", "products": dict(half)}},
        seller_actions={3: {"title": "S", "products": {pid: (pid + 40_000, D("990"), True) for pid in half}}},
        timers={10_000 + i: None for i in range(n)},
    ).install(no_network)

    result = promotions_guard(client=client())

    assert result.ok, result.error
    assert (result.breaches, result.removed, result.timers_renewed) == (3 * 1250, 3 * 1250, n)
    assert result.calls == {
        "/v1/actions": 1,
        "/v1/actions/products": (n // 100 + 1) + (1250 // 100 + 1),
        "/v1/actions/products/deactivate": 2 + 2,  # ⌈1250/1000⌉ per promotion
        "/v1/seller-actions/list": 1,
        "/v1/seller-actions/products/list": -(-1250 // 100),
        "/v1/seller-actions/products/delete": 2,
        "/v1/product/action/timer/status": 3 + 3,  # ⌈N/1000⌉, then the renewed ones read back
        "/v1/product/action/timer/update": 3,
        "/v2/actions/discounts-task/list": 1,
    }
    assert max(len(d["product_ids"]) for d in fake.deactivated) == 1000
    assert max(len(batch) for batch in fake.renewed) == 1000


# --- the min-price timer -----------------------------------------------------------------------
def test_timers_running_out_within_a_day_are_renewed_and_stored(ozon):
    mode("remove")
    now = timezone.now()
    ozon.now = now
    ozon.timers.update({1001: now - timedelta(hours=1), 1002: now + timedelta(hours=5)})

    result = promotions_guard(client=client())

    assert (result.timers_checked, result.timers_lapsed, result.timers_renewed) == (3, 1, 2)
    assert ozon.renewed == [[1001, 1002]]
    stored = dict(Sku.objects.filter(active=True).values_list("product_id", "promo_timer_expires_at"))
    assert stored[1001] > now + timedelta(days=2) and stored[1002] > now + timedelta(days=2)
    assert stored[1003] == ozon.timers[1003].replace(microsecond=0)


def test_timers_are_not_renewed_in_report_mode_in_a_dry_run_nor_with_the_promo_guard_off(ozon):
    # A running timer lifts the action prices of automatic promotions on Ozon: report mode changes nothing there.
    ozon.timers[1001] = datetime(2026, 1, 1, tzinfo=UTC)
    mode("report")
    assert promotions_guard(client=client()).timers_lapsed == 1
    mode("remove")
    assert promotions_guard(client=client(), dry_run=True).timers_lapsed == 1
    mode("remove", promo_guard=False)
    assert promotions_guard(client=client()).timers_renewed == 0
    assert ozon.renewed == []
    assert Sku.objects.get(product_id=1001).promo_timer_expires_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_a_run_that_lost_its_lease_changes_nothing_more_on_ozon(ozon, monkeypatch):
    from ozonprice.leases import Lease

    mode("remove", requests_mode="decline_below_mrpc")
    ozon.tasks[1] = {"sku": 5001, "requested_price": D("1")}
    ozon.timers[1001] = None
    monkeypatch.setattr(Lease, "lost", property(lambda self: True))

    result = promotions_guard(client=client())

    assert not result.ok and "lost its lease" in result.error
    assert ozon.writes == 0
    assert exits(standing=True) == []  # nothing recorded as done, and nothing closed

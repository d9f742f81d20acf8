"""The storefront guard on the SKU list and page: the list's three filters and the page's promotions section."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing.admin.sku import guard
from pricing.admin.sku.guard import sku_guard_context
from tests.factories import (
    DiscountRequestFactory,
    PromoExitFactory,
    SkuFactory,
    promo_exit_closed,
)
from tests.pricing.guard_world import aged, guard_world_make

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


@pytest.fixture
def guard_world():
    return guard_world_make()


# --- the SKU list's filters ------------------------------------------------------


def test_the_sku_list_filters_promotion_breaches_held_showcases_and_lapsed_timers(admin_client, guard_world):
    def skus(**params):
        response = admin_client.get(SKUS, params)
        assert response.status_code == 200, params
        return {sku.pk for sku in response.context["cl"].result_list}

    assert skus(promo_breach="yes") == guard_world["standing_skus"]
    assert skus(showcase_held="yes") == guard_world["held"]
    assert skus(timer_lapsed="yes") == guard_world["lapsed"]
    assert not skus(promo_breach="no") & guard_world["standing_skus"]
    assert not skus(timer_lapsed="no") & guard_world["lapsed"]


# --- the SKU page ----------------------------------------------------------------


def test_the_sku_page_lists_the_promotions_under_mrpc_and_the_open_requests(admin_client):
    sku = SkuFactory(mrpc=D("1000"), active=True)
    older = aged(PromoExitFactory(sku=sku, action_id=11, action_title="Распродажа", outcome="reported"), 5)
    promo_exit_closed(older)  # the refusal below replaces it
    PromoExitFactory(
        sku=sku,
        action_id=11,
        action_title="Распродажа",
        outcome="refused",
        error_message="action is not editable",
        action_price=D("870"),
    )
    PromoExitFactory(sku=sku, action_id=12, action_title="Чёрная пятница", outcome="removed", action_price=D("750"))
    PromoExitFactory(action_title="Someone else's")
    DiscountRequestFactory(sku=sku, ozon_id=901, requested_price=D("850"))
    DiscountRequestFactory(
        sku=sku, ozon_id=902, requested_price=D("800"), status="declined", decision="declined_below_mrpc"
    )

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    assert response.status_code == 200
    section = response.content.decode().split('id="sku-guard"')[1]
    promos = response.context["guard_promos"]
    assert [(row.action_id, row.outcome, row.standing) for row in promos] == [
        (12, "removed", False),
        (11, "refused", True),
    ]
    assert older.pk not in {row.pk for row in promos}
    assert "Распродажа" in section and "Чёрная пятница" in section and "Someone else" not in section
    assert "still standing" in section and "action is not editable" in section and "−130" in section
    assert [req.ozon_id for req in response.context["guard_requests"]] == [901]
    assert "−150" in section
    assert f"?sku__id__exact={sku.pk}" in section


def test_the_sku_page_says_when_the_guard_found_nothing(admin_client):
    sku = SkuFactory(mrpc=D("1000"))

    page = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).content.decode()

    assert "The guard has found no promotion under MRPC for this product." in page
    assert "No open discount request for this product." in page


# --- the section's context, directly ---------------------------------------------------


def test_the_section_shows_the_latest_record_of_each_promotion_and_counts_the_standing_ones(
    django_assert_num_queries,
):
    sku = SkuFactory(mrpc=D("1000"), active=True)
    first = aged(PromoExitFactory(sku=sku, action_id=1, outcome="reported"), 10)
    promo_exit_closed(first)
    latest = PromoExitFactory(sku=sku, action_id=1, outcome="removed")
    seller = PromoExitFactory(sku=sku, action_kind="seller", action_id=1, outcome="reported")

    with django_assert_num_queries(3):
        context = sku_guard_context(sku)

    # The same id in an Ozon action and in a seller action are two promotions.
    assert [(row.pk, row.standing) for row in context["guard_promos"]] == [(seller.pk, True), (latest.pk, False)]
    assert context["guard_promos_standing"] == 1


def test_the_section_shows_a_bounded_number_of_promotions_and_open_requests(monkeypatch):
    monkeypatch.setattr(guard, "PROMO_ROWS_SHOWN", 2)
    monkeypatch.setattr(guard, "REQUESTS_SHOWN", 2)
    sku = SkuFactory(mrpc=D("1000"), active=True)
    exits = [aged(PromoExitFactory(sku=sku, action_id=n), 10 - n) for n in range(4)]
    requests = [DiscountRequestFactory(sku=sku, created_at=exit_.created_at) for exit_ in exits]
    DiscountRequestFactory(sku=sku, status="declined", decision="declined_below_mrpc")

    context = sku_guard_context(sku)

    assert [row.action_id for row in context["guard_promos"]] == [3, 2]  # the newest first
    assert context["guard_promos_standing"] == 4  # counted, though not all shown
    assert [req.pk for req in context["guard_requests"]] == [requests[3].pk, requests[2].pk]

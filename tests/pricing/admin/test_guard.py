"""The storefront guard in the admin: promotion exits, discount requests, what "still standing" means."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ozonprice.models import RuntimeSettings
from pricing.guard_selectors import promo_breach_summary, promo_breaches_standing, today_start
from pricing.models import DiscountRequest, PromoExit
from tests.factories import (
    DiscountRequestFactory,
    PromoExitFactory,
    SkuFactory,
    UserFactory,
    promo_exit_closed,
    promo_exit_has_standing,
)

pytestmark = pytest.mark.django_db
D = Decimal
EXITS = reverse("admin:pricing_promoexit_changelist")
REQUESTS = reverse("admin:pricing_discountrequest_changelist")


def aged(row, minutes: int):
    """`created_at` is set on insert: move a record into the past."""
    type(row).objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    row.refresh_from_db()
    return row


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


# --- what "still standing" means -------------------------------------------------


def test_a_breach_stands_while_its_latest_record_is_a_recent_report_refusal_or_failure():
    reported = PromoExitFactory(outcome="reported")
    refused = PromoExitFactory(outcome="refused", error_message="action is not editable")
    failed = PromoExitFactory(outcome="failed")
    removed = PromoExitFactory(outcome="removed")

    assert set(promo_breaches_standing().values_list("pk", flat=True)) == {reported.pk, refused.pk, failed.pk}
    assert removed.pk not in set(promo_breaches_standing().values_list("pk", flat=True))


def test_a_later_removal_of_the_same_promotion_ends_the_breach_but_not_another_promotions():
    first = PromoExitFactory(outcome="reported", action_id=1)
    aged(first, 5)
    PromoExitFactory(sku=first.sku, outcome="removed", action_id=1)
    promo_exit_closed(first)
    other = PromoExitFactory(sku=first.sku, outcome="reported", action_id=2)
    # The same id in the seller's own promotions is another promotion.
    seller = PromoExitFactory(sku=first.sku, outcome="reported", action_id=1, action_kind="seller")

    assert set(promo_breaches_standing().values_list("pk", flat=True)) == {other.pk, seller.pk}


def test_a_breach_the_guard_flags_standing_stands_however_old_its_record():
    if not promo_exit_has_standing():
        pytest.skip("PromoExit has no `standing` flag here: standing is derived from the records")
    old = PromoExitFactory()
    aged(old, 60 * 24 * 7)  # found a week ago, unchanged since: not written again

    assert list(promo_breaches_standing().values_list("pk", flat=True)) == [old.pk]


def test_a_breach_no_run_recorded_for_two_guard_intervals_is_gone():
    rs = RuntimeSettings.load()
    rs.guard_interval = 10
    rs.save()
    recent = aged(PromoExitFactory(), 19)
    promo_exit_closed(aged(PromoExitFactory(), 21))  # the runs since did not see it: the SKU left the promotion

    assert list(promo_breaches_standing().values_list("pk", flat=True)) == [recent.pk]


def test_the_breach_summary_counts_skus_once_and_gives_the_worst_gap():
    row = PromoExitFactory(action_price=D("900"))  # MRPC 1,000
    PromoExitFactory(sku=row.sku, action_price=D("750"))
    PromoExitFactory(action_price=D("980"))
    PromoExitFactory(action_price=D("500"), outcome="removed")

    assert promo_breach_summary() == type(promo_breach_summary())(skus=2, worst_gap=D("250"))


def test_no_breach_no_gap():
    summary = promo_breach_summary()

    assert (summary.skus, summary.worst_gap) == (0, None)


# --- the promotion exits' list --------------------------------------------------


def test_the_promotion_exits_list_shows_the_record_with_its_gap(admin_client):
    row = PromoExitFactory(
        action_title="Чёрная пятница",
        action_price=D("870"),
        outcome="refused",
        error_message="product is in a non-editable action",
        actor="anna",
        reason="admin",
    )

    response = admin_client.get(EXITS)

    page = response.content.decode()
    assert listed(response) == {row.pk}
    assert "Чёрная пятница" in page and "product is in a non-editable action" in page
    assert '<span class="gap-below">−130.00</span>' in page
    assert reverse("admin:catalog_sku_change", args=[row.sku_id]) in page
    assert "Ozon refused the removal" in page and "anna" in page


def test_the_promotion_exits_are_read_only(admin_client):
    row = PromoExitFactory()

    assert admin_client.get(reverse("admin:pricing_promoexit_change", args=[row.pk])).status_code == 200
    assert admin_client.get(reverse("admin:pricing_promoexit_add")).status_code == 403
    assert admin_client.get(reverse("admin:pricing_promoexit_delete", args=[row.pk])).status_code == 403
    page = admin_client.get(EXITS).content.decode()
    assert "delete_selected" not in page


def test_the_promotion_exits_filter_by_outcome_kind_date_and_standing(admin_client):
    reported = PromoExitFactory(outcome="reported")
    removed = PromoExitFactory(outcome="removed", action_kind="seller")
    old = promo_exit_closed(aged(PromoExitFactory(outcome="refused"), 3 * 24 * 60))
    today = today_start()

    assert listed(admin_client.get(EXITS, {"outcome__exact": "removed"})) == {removed.pk}
    assert listed(admin_client.get(EXITS, {"action_kind__exact": "seller"})) == {removed.pk}
    assert listed(
        admin_client.get(EXITS, {"created_at__gte": str(today), "created_at__lt": str(today + timedelta(days=1))})
    ) == {reported.pk, removed.pk}
    assert listed(admin_client.get(EXITS, {"standing": "yes"})) == {reported.pk}
    assert listed(admin_client.get(EXITS)) == {reported.pk, removed.pk, old.pk}


def test_the_promotion_exits_search_by_article_title_ozon_sku_and_promotion_id(admin_client):
    row = PromoExitFactory(
        sku=SkuFactory(offer_id="TEA-42", mrpc=D("1000")), action_title="Осенняя распродажа", action_id=123456
    )
    PromoExitFactory()

    for term in ("TEA-42", "Осенняя", str(row.sku.sku), str(row.sku.product_id), "123456"):
        assert listed(admin_client.get(EXITS, {"q": term})) == {row.pk}, term
    assert listed(admin_client.get(EXITS, {"q": "9" * 30})) == set()  # too long for an id: no overflow


def test_the_promotion_exits_list_is_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    RuntimeSettings.load()  # created once, on first use
    for _i in range(120):
        PromoExitFactory()

    with django_assert_max_num_queries(8):
        response = admin_client.get(EXITS, {"standing": "yes"})

    assert len(response.context["cl"].result_list) == 100


# --- the discount requests' list -------------------------------------------------


def test_the_discount_requests_list_shows_the_requested_price_against_mrpc(admin_client):
    below = DiscountRequestFactory(requested_price=D("850"))  # MRPC 1,000
    above = DiscountRequestFactory(requested_price=D("1050"))

    response = admin_client.get(REQUESTS)

    page = response.content.decode()
    assert listed(response) == {below.pk, above.pk}
    assert '<span class="gap-below">850.00</span>' in page
    assert '<span class="gap-below">−150.00</span>' in page
    assert '<span class="gap-ok">-50.00</span>' in page
    assert reverse("admin:catalog_sku_change", args=[below.sku_id]) in page


def test_the_discount_requests_filter_below_mrpc_status_and_decision(admin_client):
    below = DiscountRequestFactory(requested_price=D("850"))
    above = DiscountRequestFactory(requested_price=D("1050"))
    declined = DiscountRequestFactory(
        requested_price=D("800"), status="declined", decision="declined_below_mrpc", decided_at=timezone.now()
    )
    no_mrpc = DiscountRequestFactory(sku=None, ozon_sku=987_654_321, mrpc=None)

    assert listed(admin_client.get(REQUESTS, {"below_mrpc": "yes"})) == {below.pk, declined.pk}
    assert listed(admin_client.get(REQUESTS, {"below_mrpc": "no"})) == {above.pk}
    assert listed(admin_client.get(REQUESTS, {"status__exact": "new"})) == {below.pk, above.pk, no_mrpc.pk}
    assert listed(admin_client.get(REQUESTS, {"decision__exact": "declined_below_mrpc"})) == {declined.pk}
    assert listed(admin_client.get(REQUESTS, {"q": "987654321"})) == {no_mrpc.pk}
    assert listed(admin_client.get(REQUESTS, {"q": str(below.ozon_id)})) == {below.pk}


def test_the_discount_requests_are_read_only(admin_client):
    row = DiscountRequestFactory(sku=None, ozon_sku=77, mrpc=None)

    assert admin_client.get(reverse("admin:pricing_discountrequest_change", args=[row.pk])).status_code == 200
    assert admin_client.get(reverse("admin:pricing_discountrequest_add")).status_code == 403
    assert "77" in admin_client.get(REQUESTS).content.decode()


def test_the_discount_requests_list_is_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    for _i in range(120):
        DiscountRequestFactory()

    with django_assert_max_num_queries(8):
        response = admin_client.get(REQUESTS, {"below_mrpc": "yes"})

    assert len(response.context["cl"].result_list) == 100


def test_staff_without_the_view_permission_cannot_see_the_guard_records():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(staff=True))

    assert client.get(EXITS).status_code == 403
    assert client.get(REQUESTS).status_code == 403


def test_staff_with_the_view_permission_see_the_guard_records():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(staff=True, permissions=["pricing.view_promoexit", "pricing.view_discountrequest"]))
    PromoExitFactory()
    DiscountRequestFactory()

    assert client.get(EXITS).status_code == 200
    assert client.get(REQUESTS).status_code == 200


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_guard_lists_render_in_russian_and_english(language):
    client = Client(headers={"Accept-Language": language})
    client.force_login(UserFactory(superuser=True))
    PromoExitFactory(outcome="refused")
    DiscountRequestFactory()

    for url in (EXITS, REQUESTS, f"{EXITS}?standing=yes", f"{REQUESTS}?below_mrpc=yes"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode(), url


def test_the_models_are_untouched_by_the_admin_views(admin_client):
    PromoExitFactory()
    DiscountRequestFactory()

    admin_client.get(EXITS)
    admin_client.get(REQUESTS)

    assert (PromoExit.objects.count(), DiscountRequest.objects.count()) == (1, 1)

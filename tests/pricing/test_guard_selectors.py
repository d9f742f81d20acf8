"""The storefront guard on the dashboard, the SKU list's filters and the SKU page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.dashboard import dashboard_get
from ozonprice.models import RuntimeSettings
from pricing.guard_selectors import promo_breaches_standing
from tests.factories import DiscountRequestFactory, PromoExitFactory, SkuFactory, UserFactory
from tests.pricing.guard_world import guard_world_make

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


def card(page: str, stat: str) -> str:
    return page.split(f'id="stat-{stat}"')[1].split("</a>")[0]


@pytest.fixture
def guard_world():
    return guard_world_make()


def test_the_dashboard_counts_the_guards_tiles(admin_client, guard_world):
    guard = dashboard_get()["guard"]

    assert guard["promo_breach_skus"] == 2
    assert guard["promo_breach_worst_gap"] == D("300")
    assert guard["promo_removed_today"] == 2
    assert (guard["declined_today"], guard["declined_total"]) == (1, 2)
    assert guard["held_skus"] == 1
    assert guard["held_max_uplift"] == D("12.0")
    assert guard["timer_lapsed"] == 1
    assert guard["guard_mode"] == "report only"


def test_the_dashboard_shows_the_guards_tiles(admin_client, guard_world):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "Storefront guard · promotions: report only" in page
    for stat, value in [
        ("promo-breach", "2"),
        ("promo-removed", "2"),
        ("declined", "1 / 2"),
        ("showcase-held", "1"),
        ("timer-lapsed", "1"),
    ]:
        assert f'<span class="stat-value">{value}</span>' in card(page, stat), stat
    assert "worst gap −300 ₽" in card(page, "promo-breach")
    assert "up to +12 % over MRPC" in card(page, "showcase-held")
    assert "stat-alert" in page.split('id="stat-promo-breach"')[0].rsplit("<a", 1)[1]


def test_each_guard_tile_links_to_a_list_of_exactly_what_it_counts(admin_client, guard_world):
    guard = dashboard_get()["guard"]

    def rows(url):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        return response.context["cl"].result_list

    breaches = rows(guard["promo_breach_url"])
    assert {row.sku_id for row in breaches} == guard_world["standing_skus"]
    assert {row.pk for row in breaches} == set(promo_breaches_standing().values_list("pk", flat=True))
    assert len(breaches) == 3  # two SKUs, one of them in two promotions
    assert {row.pk for row in rows(guard["promo_removed_today_url"])} == guard_world["removed_today"]
    declined = rows(guard["declined_url"])
    assert len(declined) == 2 and {row.decision for row in declined} == {"declined_below_mrpc"}
    assert {sku.pk for sku in rows(guard["held_url"])} == guard_world["held"]
    assert {sku.pk for sku in rows(guard["timer_lapsed_url"])} == guard_world["lapsed"]


def test_the_removed_today_link_selects_the_lists_own_today_filter(admin_client, guard_world):
    response = admin_client.get(dashboard_get()["guard"]["promo_removed_today_url"])

    date_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "when")
    assert [choice["display"] for choice in date_filter.choices(response.context["cl"]) if choice["selected"]] == [
        "Today"
    ]


def test_with_nothing_recorded_the_tiles_say_zero(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    for stat, value in [
        ("promo-breach", "0"),
        ("promo-removed", "0"),
        ("declined", "0 / 0"),
        ("showcase-held", "0"),
        ("timer-lapsed", "0"),
    ]:
        assert f'<span class="stat-value">{value}</span>' in card(page, stat), stat
    assert "worst gap" not in page


def test_the_guards_tiles_cost_a_query_each_whatever_the_rows(admin_client, guard_world, django_assert_max_num_queries):
    RuntimeSettings.load()
    admin_client.get(reverse("admin:index"))  # warm the session and caches
    with django_assert_max_num_queries(30) as few:
        admin_client.get(reverse("admin:index"))
    for _i in range(30):
        PromoExitFactory()
        DiscountRequestFactory(status="declined", decision="declined_below_mrpc", decided_at=timezone.now())
        SkuFactory(active=True, promo_timer_expires_at=timezone.now() - timedelta(hours=1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get(reverse("admin:index")).content.decode()

    assert '<span class="stat-value">31 / 32</span>' in card(page, "declined")


# --- Russian and English ---------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_dashboard_sku_page_and_settings_render_in_russian_and_english(language, guard_world):
    client = Client(headers={"Accept-Language": language})
    client.force_login(UserFactory(superuser=True))
    sku = PromoExitFactory().sku
    DiscountRequestFactory(sku=sku)
    expected = {
        "ru": ("Цены в Ozon сегодня", "Почему такая цена", "Расписание", "Защита витрины"),
        "en": ("Prices on Ozon today", "Why this price", "Schedule", "Storefront guard"),
    }[language]

    pages = [
        client.get(reverse("admin:index")),
        client.get(reverse("admin:catalog_sku_change", args=[sku.pk])),
        client.get(reverse("admin:ozonprice_runtimesettings_change", args=[RuntimeSettings.load().pk])),
        # The guard's settings are each account's own (the install's schedule stays in the runtime settings).
        client.get(reverse("admin:ozonprice_account_change", args=[sku.account.pk])),
    ]

    for response, text in zip(pages, expected, strict=True):
        assert response.status_code == 200
        page = response.content.decode()
        assert f'lang="{language}"' in page and text in page
    settings_page = pages[2].content.decode()
    assert 'name="guard_interval"' in settings_page and 'name="promo_guard_mode"' not in settings_page
    account_page = pages[3].content.decode()
    for field in (
        "promo_guard_mode",
        "discount_requests_mode",
        "discount_decline_comment",
        "showcase_hold",
        "showcase_max_uplift",
    ):
        assert f'name="{field}"' in account_page, field
    assert 'id="stat-promo-breach"' in pages[0].content.decode()
    assert 'id="sku-guard"' in pages[1].content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"promo_breach": "yes"},
        {"showcase_held": "yes"},
        {"timer_lapsed": "yes"},
        {"promo_breach": "no"},
        {"showcase_held": "no"},
        {"timer_lapsed": "no"},
    ],
)
def test_the_sku_lists_guard_filters_answer_in_a_bounded_number_of_queries(
    admin_client, guard_world, params, django_assert_max_num_queries
):
    RuntimeSettings.load()
    SkuFactory.create_batch(60, active=True, mrpc=D("1000"))

    with django_assert_max_num_queries(10):
        response = admin_client.get(SKUS, params)

    assert response.status_code == 200

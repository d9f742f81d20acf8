"""The admin: the SKU list, the API log, the runtime settings and task leases."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from ozonprice.models import RuntimeSettings, TaskLease
from ozonprice.services import api_secret_generate
from tests.factories import ApiLogEntryFactory, SkuFactory, UserFactory

pytestmark = pytest.mark.django_db

SKUS = reverse("admin:catalog_sku_changelist")
LOG = reverse("admin:auditlog_apilogentry_changelist")


@pytest.fixture
def admin_client():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(superuser=True))
    return client


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {sku.name for sku in response.context["cl"].result_list}


# --- SKUs -------------------------------------------------------------------


def test_the_sku_list_renders_200_skus_in_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    SkuFactory.create_batch(200)

    with django_assert_max_num_queries(8):
        response = admin_client.get(SKUS)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].result_count == 200


@pytest.fixture
def assorted():
    now = timezone.now()
    SkuFactory(name="active", active=True, mrpc=Decimal("900"), front_price=Decimal("950"))
    SkuFactory(name="sold out", available=False)
    SkuFactory(name="below", mrpc=Decimal("1000"), front_price=Decimal("950"))
    SkuFactory(name="no showcase", mrpc=Decimal("1000"), front_price=None)
    SkuFactory(name="archived", archived=True)
    SkuFactory(name="missing", missing_since=now - timedelta(days=1))


ALL = {"active", "sold out", "below", "no showcase", "archived", "missing"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"active__exact": "1"}, {"active"}),
        ({"active__exact": "0"}, ALL - {"active"}),
        ({"available__exact": "0"}, {"sold out"}),
        ({"mrpc_set": "yes"}, {"active", "below", "no showcase"}),
        ({"mrpc_set": "no"}, {"sold out", "archived", "missing"}),
        ({"below_mrpc": "yes"}, {"below"}),
        ({"below_mrpc": "no"}, {"active"}),
        ({"archived__exact": "1"}, {"archived"}),
        ({"missing": "yes"}, {"missing"}),
        ({"missing": "no"}, ALL - {"missing"}),
        ({"mrpc_set": "yes", "available__exact": "1", "below_mrpc": "yes"}, {"below"}),
    ],
)
def test_each_sku_filter_selects_its_rows(admin_client, assorted, params, expected):
    assert listed(admin_client.get(SKUS, params)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hose", {"Garden hose"}),
        ("HOSE-25", {"Garden hose"}),
        ("777000111", {"Garden hose"}),
        ("555000222", {"Garden hose"}),
        ("777000", set()),
        ("40012", {"Numeric article"}),
        ("garden 25", {"Garden hose"}),
    ],
)
def test_the_sku_search_matches_text_by_part_and_ids_exactly(admin_client, query, expected):
    SkuFactory(name="Garden hose", offer_id="HOSE-25", sku=777000111, product_id=555000222)
    SkuFactory(name="Numeric article", offer_id="40012345")

    assert listed(admin_client.get(SKUS, {"q": query})) == expected


def test_the_sku_search_keeps_the_chosen_filters(admin_client):
    SkuFactory(name="Lamp red", active=True)
    SkuFactory(name="Lamp blue", active=False)

    assert listed(admin_client.get(SKUS, {"q": "lamp", "active__exact": "1"})) == {"Lamp red"}


def test_only_mrpc_discount_active_and_the_showcase_hold_are_editable(admin_client):
    sku = SkuFactory()

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == {"mrpc", "discount", "active", "showcase_hold"}


def test_saving_a_sku_changes_only_the_managers_columns(admin_client):
    sku = SkuFactory(price=Decimal("1000.00"))

    response = admin_client.post(
        reverse("admin:catalog_sku_change", args=[sku.pk]),
        {"mrpc": "1100.00", "discount": "10", "active": "", "price": "1.00"},
    )

    assert response.status_code == 302
    sku.refresh_from_db()
    assert (sku.mrpc, sku.discount, sku.price) == (Decimal("1100.00"), Decimal("10.00"), Decimal("1000.00"))


def test_skus_cannot_be_added_or_deleted_in_the_admin(admin_client):
    sku = SkuFactory()

    assert admin_client.get(reverse("admin:catalog_sku_add")).status_code == 403
    assert admin_client.post(reverse("admin:catalog_sku_delete", args=[sku.pk]), {"post": "yes"}).status_code == 403
    assert Sku.objects.filter(pk=sku.pk).exists()


# --- API log ----------------------------------------------------------------


def test_the_api_log_list_renders_with_its_filters(admin_client, django_assert_max_num_queries):
    ApiLogEntryFactory.create_batch(150)
    ApiLogEntryFactory(service="front_price", status_code=503, success=False, endpoint="/api/v1/seller/1")
    ApiLogEntryFactory(status_code=None, success=False, error_message="timed out")

    with django_assert_max_num_queries(12):
        response = admin_client.get(LOG)

    assert response.status_code == 200
    for params, count in [
        ({"status_class": "5xx"}, 1),
        ({"status_class": "none"}, 1),
        ({"status_class": "2xx"}, 150),
        ({"success__exact": "0"}, 2),
        ({"service": "front_price"}, 1),
        ({"direction__exact": "out"}, 152),
        ({"q": "seller"}, 1),
    ]:
        response = admin_client.get(LOG, params)
        assert response.status_code == 200
        assert response.context["cl"].result_count == count, params


def test_the_api_log_date_hierarchy_drills_down(admin_client):
    entry = ApiLogEntryFactory()
    day = timezone.localtime(entry.timestamp)

    response = admin_client.get(
        LOG, {"timestamp__year": day.year, "timestamp__month": day.month, "timestamp__day": day.day}
    )

    assert response.context["cl"].result_count == 1


def test_the_api_log_is_read_only(admin_client):
    entry = ApiLogEntryFactory(request_payload='{"limit": 1000}')
    change = reverse("admin:auditlog_apilogentry_change", args=[entry.pk])

    assert admin_client.get(reverse("admin:auditlog_apilogentry_add")).status_code == 403
    assert admin_client.post(change, {"endpoint": "/changed"}).status_code == 403
    assert (
        admin_client.post(reverse("admin:auditlog_apilogentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    page = admin_client.get(change)
    assert page.status_code == 200
    assert "&quot;limit&quot;: 1000" in page.content.decode()
    entry.refresh_from_db()
    assert entry.endpoint == "/v3/product/list"


def test_the_api_log_offers_no_delete_action(admin_client):
    ApiLogEntryFactory()

    response = admin_client.get(LOG)

    assert response.context["action_form"] is None
    assert "delete_selected" not in response.content.decode()


# --- runtime settings and task leases ---------------------------------------


def test_runtime_settings_open_straight_on_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:ozonprice_runtimesettings_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:ozonprice_runtimesettings_change", args=[1])
    assert admin_client.get(response["Location"]).status_code == 200


def test_runtime_settings_cannot_be_added_twice_or_deleted(admin_client):
    RuntimeSettings.load()

    assert admin_client.get(reverse("admin:ozonprice_runtimesettings_add")).status_code == 403
    assert admin_client.get(reverse("admin:ozonprice_runtimesettings_delete", args=[1])).status_code == 403


def settings_form(**changes) -> dict:
    form = {
        "monitoring_interval": "10",
        "price_update_interval": "5",
        "verification_window": "30",
        "deviation_threshold": "1.00",
        "showcase_source": "ozon_seller_price",
        "front_price_api_url": "",
        "front_price_seller_id": "",
        "ozon_client_id": "123456",
        "ozon_api_key": "",
        "images_limit": "30",
        "promo_guard": "on",
        "notify_emails": "",
        "telegram_chat_id": "",
        "telegram_bot_token": "",
        "promo_guard_mode": "report",
        "guard_interval": "10",
        "discount_requests_mode": "manual",
        "discount_decline_comment": "",
        "showcase_max_uplift": "15.00",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_stored_secrets_are_never_shown_and_blank_keeps_them(admin_client, ozon_credentials):
    url = reverse("admin:ozonprice_runtimesettings_change", args=[1])
    secret = ozon_credentials.ozon_api_key
    api_secret_generate()
    stored_hash = RuntimeSettings.load().api_secret_hash

    page = admin_client.get(url).content.decode()
    assert secret not in page
    assert stored_hash not in page
    assert "create_api_key" in page

    assert admin_client.post(url, settings_form(monitoring_interval="15")).status_code == 302
    saved = RuntimeSettings.load()
    assert (saved.monitoring_interval, saved.ozon_api_key, saved.api_secret_hash) == (15, secret, stored_hash)


def test_a_typed_secret_replaces_the_stored_one_and_the_tick_clears_it(admin_client, ozon_credentials):
    url = reverse("admin:ozonprice_runtimesettings_change", args=[1])

    admin_client.post(url, settings_form(ozon_api_key="new-key", telegram_bot_token="bot:123"))
    saved = RuntimeSettings.load()
    assert (saved.ozon_api_key, saved.telegram_bot_token) == ("new-key", "bot:123")

    admin_client.post(url, settings_form(clear_telegram_bot_token="on"))
    saved = RuntimeSettings.load()
    assert (saved.ozon_api_key, saved.telegram_bot_token) == ("new-key", "")


def test_task_leases_are_read_only(admin_client):
    TaskLease.acquire("monitor_products", ttl=timedelta(minutes=5))

    assert admin_client.get(reverse("admin:ozonprice_tasklease_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ozonprice_tasklease_add")).status_code == 403
    change = reverse("admin:ozonprice_tasklease_change", args=["monitor_products"])
    assert admin_client.post(change, {"owner": "me"}).status_code == 403
    assert admin_client.get(reverse("admin:ozonprice_tasklease_delete", args=["monitor_products"])).status_code == 403

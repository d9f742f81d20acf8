"""The account switcher: the `account` filter and column on every list of account data, preselected from the session."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from imagepush.models import ImagePush, PushSource, PushStatus
from ozonprice.admin_switcher import SESSION_KEY
from pricing.models import ChangeStatus, PriceChange, PriceHistory, Reason
from tests.factories import (
    AccountFactory,
    ApiLogEntryFactory,
    DiscountRequestFactory,
    PromoExitFactory,
    SkuFactory,
    account_default,
    table_statistics_refresh,
)

pytestmark = pytest.mark.django_db
D = Decimal
SWITCH = reverse("admin:ozonprice_account_switch")
SKUS = reverse("admin:catalog_sku_changelist")


def rows_for(account) -> None:
    """One row of every listed kind for the account."""
    sku = SkuFactory(account=account)
    PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.FAILED,
        expected_price=D("1"),
        expected_old_price=D("0"),
        expected_min_price=D("1"),
    )
    PriceHistory.objects.create(sku=sku, timestamp=timezone.now(), reason=Reason.API, new_price=D("1000"))
    PromoExitFactory(sku=sku)
    DiscountRequestFactory(sku=sku)
    ImagePush.objects.create(
        sku=sku,
        account=account,
        product_id=sku.product_id,
        offer_id=sku.offer_id,
        images=["https://r2.example/1.jpg"],
        source=PushSource.API,
        status=PushStatus.IMPORTED,
    )
    ApiLogEntryFactory(account=account)


LISTS = [
    "admin:catalog_sku_changelist",
    "admin:pricing_pricechange_changelist",
    "admin:pricing_pricehistory_changelist",
    "admin:pricing_promoexit_changelist",
    "admin:pricing_discountrequest_changelist",
    "admin:imagepush_imagepush_changelist",
    "admin:auditlog_apilogentry_changelist",
]


@pytest.fixture
def two_accounts(db):
    one = account_default()
    two = AccountFactory(name="Brand LLC")
    rows_for(one)
    rows_for(two)
    # The unfiltered SKU list counts from the planner's estimate on PostgreSQL: give it today's table.
    table_statistics_refresh(Sku)
    return one, two


def listed(client, name: str, query: str = ""):
    response = client.get(reverse(name) + query)
    assert response.status_code == 200, (name, response.get("Location"))
    return response.context["cl"]


@pytest.mark.parametrize("name", LISTS)
def test_with_two_accounts_each_list_has_the_column_and_the_filter_and_filters_by_it(admin_client, two_accounts, name):
    one, two = two_accounts

    every = listed(admin_client, name)
    only_two = listed(admin_client, name, f"?account={two.pk}")

    assert "account_shown" in every.list_display
    assert any(getattr(spec, "parameter_name", None) == "account" for spec in every.filter_specs)
    assert only_two.result_count == 1
    assert every.result_count > only_two.result_count
    page = admin_client.get(reverse(name) + f"?account={two.pk}").content.decode()
    assert '<td class="field-account_shown">Brand LLC</td>' in page


@pytest.mark.parametrize("name", LISTS)
def test_with_one_account_the_lists_look_as_before(admin_client, name):
    rows_for(account_default())

    cl = listed(admin_client, name)

    assert "account_shown" not in cl.list_display
    assert not any(getattr(spec, "parameter_name", None) == "account" for spec in cl.filter_specs)
    assert "account-switch" not in admin_client.get(reverse(name)).content.decode()


def test_the_switch_preselects_every_list_and_the_url_wins(admin_client, two_accounts):
    one, two = two_accounts

    response = admin_client.post(SWITCH, {"account": str(two.pk), "next": f"{SKUS}?account={one.pk}&q=ART"})

    assert response.status_code == 302
    assert response["Location"] == f"{SKUS}?q=ART"  # the switch drops the URL's account, which would win over it
    assert admin_client.session[SESSION_KEY] == two.pk
    for name in LISTS:
        assert listed(admin_client, name).result_count == 1, name
    preselected = listed(admin_client, LISTS[0])
    (spec,) = [s for s in preselected.filter_specs if getattr(s, "parameter_name", None) == "account"]
    assert [c["display"] for c in spec.choices(preselected) if c["selected"]] == ["Brand LLC"]
    # The URL's choice wins over the session's: another account, or all of them.
    assert [s.account_id for s in listed(admin_client, LISTS[0], f"?account={one.pk}").result_list] == [one.pk]
    assert listed(admin_client, LISTS[0], "?account=all").result_count == 2


def test_all_accounts_is_a_choice_and_clears_the_preselection(admin_client, two_accounts):
    _one, two = two_accounts
    admin_client.post(SWITCH, {"account": str(two.pk), "next": SKUS})

    admin_client.post(SWITCH, {"account": "all", "next": SKUS})

    assert SESSION_KEY not in admin_client.session
    assert listed(admin_client, "admin:pricing_pricechange_changelist").result_count == 2


@pytest.mark.parametrize("choice", ["999999", "abc", "", "-1"])
def test_a_stale_or_forged_choice_keeps_the_one_there_was(admin_client, two_accounts, choice):
    _one, two = two_accounts
    admin_client.post(SWITCH, {"account": str(two.pk), "next": SKUS})

    response = admin_client.post(SWITCH, {"account": choice, "next": SKUS})

    assert response.status_code == 302 and admin_client.session[SESSION_KEY] == two.pk


def test_the_switch_goes_back_only_to_this_site(admin_client, two_accounts):
    response = admin_client.post(SWITCH, {"account": "all", "next": "https://evil.example/admin/"})

    assert response["Location"] == reverse("admin:index")


def test_a_bad_account_in_the_url_is_the_admins_bad_filter_answer(admin_client, two_accounts):
    response = admin_client.get(f"{SKUS}?account=abc")

    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_deleted_account_in_the_session_preselects_nothing(admin_client, two_accounts):
    one, two = two_accounts
    extra = AccountFactory()
    admin_client.post(SWITCH, {"account": str(extra.pk), "next": SKUS})
    extra.delete()

    assert listed(admin_client, "admin:pricing_pricechange_changelist").result_count == 2

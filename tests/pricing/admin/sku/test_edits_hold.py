"""The showcase hold in the admin: the SKU page explains the uplift; the form and the list set and filter it."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from ozonprice.models import ShowcaseSource
from pricing.models import PriceHistory, Reason
from tests.factories import SkuFactory, account_default

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


def hold_settings(*, on: bool, source=ShowcaseSource.FRONT_API) -> None:
    account = account_default()
    account.showcase_hold, account.showcase_source = on, source
    account.save()


def why(client, sku) -> list[str]:
    return client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).context["why_this_price"]


def test_the_sku_page_explains_a_raised_price(admin_client):
    hold_settings(on=True)
    sku = SkuFactory(
        mrpc=D("1100"),
        discount=D("20"),
        price=D("1223"),
        old_price=D("1529"),
        active=True,
        front_price=D("1101"),
        front_price_source=ShowcaseSource.FRONT_API,
    )
    PriceHistory.objects.create(
        sku=sku,
        timestamp=timezone.now() - timedelta(minutes=5),
        showcase_price=D("990"),
        price_before=D("1100"),
        old_price_before=D("1375"),
        new_price=D("1223"),
        new_old_price=D("1529"),
        new_min_price=D("1100"),
        mrpc=D("1100"),
        reason=Reason.SHOWCASE_HOLD,
    )

    lines = why(admin_client, sku)

    line = next(line for line in lines if line.startswith("Showcase hold (the account's setting)"))
    for fact in ("showed 990 ₽", "under MRPC 1,100 ₽", "raised by 11.2 %", "to 1,223 ₽", "MRPC + 15 % = 1,265 ₽"):
        assert fact in line, line
    assert "When the marketplace discount ends, the price steps back down to MRPC." in lines
    assert lines[-1].startswith("Price maintenance is on")


def test_the_sku_page_says_what_the_hold_would_do_and_when_it_cannot(admin_client):
    hold_settings(on=False)
    sku = SkuFactory(mrpc=D("1100"), price=D("1100"), showcase_hold=True)
    assert any(
        line.startswith("Showcase hold is on (set for this SKU): if a marketplace discount")
        and "by at most 15 % (to 1,265 ₽)" in line
        for line in why(admin_client, sku)
    )

    hold_settings(on=True, source=ShowcaseSource.OZON_SELLER_PRICE)
    assert any("only an upper bound" in line for line in why(admin_client, sku))

    Sku.objects.filter(pk=sku.pk).update(showcase_hold=False)
    assert not any("Showcase hold" in line for line in why(admin_client, sku))


def test_the_form_offers_on_off_or_the_accounts_setting_and_saves_the_choice(admin_client):
    hold_settings(on=True)
    sku = SkuFactory(mrpc=D("1100"))
    url = reverse("admin:catalog_sku_change", args=[sku.pk])

    page = html.unescape(admin_client.get(url).content.decode())
    assert "Follow the account's setting (now on)" in page

    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"showcase_hold": "false", "imagepushes-TOTAL_FORMS": "0", "imagepushes-INITIAL_FORMS": "0"})
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    sku.refresh_from_db()
    assert sku.showcase_hold is False


def test_the_sku_list_filters_by_the_hold_choice_and_by_raised_prices(admin_client):
    SkuFactory(name="on", showcase_hold=True, mrpc=D("1000"), price=D("1000"))
    SkuFactory(name="off", showcase_hold=False, mrpc=D("1000"), price=D("1000"))
    SkuFactory(name="default", mrpc=D("1000"), price=D("1000"))
    SkuFactory(name="raised", mrpc=D("1000"), price=D("1112"))

    def names(value):
        return {s.name for s in admin_client.get(SKUS, {"showcase_hold": value}).context["cl"].result_list}

    assert names("on") == {"on"}
    assert names("off") == {"off"}
    assert names("default") == {"default", "raised"}
    assert names("raised") == {"raised"}

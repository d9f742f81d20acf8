"""The SKU import with several accounts: the file's SKUs and articles are looked up in the chosen account only."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Sku
from tests.factories import AccountFactory, SkuFactory, account_default

pytestmark = pytest.mark.django_db
D = Decimal
IMPORT = reverse("admin:catalog_sku_import")
SWITCH = reverse("admin:ozonprice_account_switch")


@pytest.fixture
def two():
    """Accounts A (the first) and B, each selling an article "SAME" (articles are unique per account only)."""
    a, b = account_default(), AccountFactory(name="Brand LLC")
    SkuFactory(account=a, offer_id="SAME", mrpc=D("1000"))
    SkuFactory(account=b, offer_id="SAME", mrpc=D("1000"))
    return a, b


def upload(content: bytes = b"offer_id,mrpc\nSAME,1200\n"):
    handle = io.BytesIO(content)
    handle.name = "p.csv"
    return handle


def mrpc_of(account) -> Decimal | None:
    return Sku.objects.get(account=account, offer_id="SAME").mrpc


def test_the_file_is_previewed_and_saved_in_the_chosen_account_only(admin_client, two):
    a, b = two

    page = admin_client.post(IMPORT, {"file": upload(), "account": b.pk})

    assert page.templates[0].name == "admin/catalog/sku/import_preview.html"
    assert "Account: Brand LLC" in page.content.decode() and "Save 1 change" in page.content.decode()
    done = admin_client.post(IMPORT, {"token": page.context["token"], "apply": "1"}, follow=True)
    assert "Imported p.csv: 1 SKU changed." in [str(m) for m in done.context["messages"]]
    assert (mrpc_of(a), mrpc_of(b)) == (D("1000"), D("1200"))


def test_the_form_offers_the_account_chosen_in_the_admin(admin_client, two):
    a, b = two
    admin_client.post(SWITCH, {"account": str(b.pk), "next": IMPORT})

    form = admin_client.get(IMPORT).context["form"]

    assert form["account"].value() == b.pk
    assert list(form.fields["account"].queryset) == [b, a]  # by name


def test_with_all_accounts_shown_the_manager_must_pick_one(admin_client, two):
    page = admin_client.post(IMPORT, {"file": upload()})

    assert page.templates[0].name == "admin/catalog/sku/import.html"
    assert page.context["form"].errors == {"account": ["This field is required."]}
    assert "token" not in page.context and {mrpc_of(account) for account in two} == {D("1000")}


def test_an_unknown_account_is_refused_on_the_form(admin_client, two):
    page = admin_client.post(IMPORT, {"file": upload(), "account": "999999"})

    assert list(page.context["form"].errors) == ["account"] and "token" not in page.context


def test_with_one_account_there_is_nothing_to_choose(admin_client, account):
    SkuFactory(account=account, offer_id="SAME", mrpc=D("1000"))

    body = admin_client.get(IMPORT).content.decode()
    page = admin_client.post(IMPORT, {"file": upload()})  # as the form was posted before accounts

    assert f'type="hidden" name="account" value="{account.pk}"' in body
    assert "<select" not in body and "Ozon account" not in body
    assert "Account:" not in page.content.decode()
    admin_client.post(IMPORT, {"token": page.context["token"], "apply": "1"})
    assert mrpc_of(account) == D("1200")

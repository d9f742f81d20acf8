"""The header's account selector: staff see it with more than one account, the session's choice selected."""

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, account_default

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def switcher(page: str) -> str:
    return page.split('<form class="account-switch"')[1].split("</form>")[0]


def test_one_account_no_selector(admin_client):
    account_default()

    assert "account-switch" not in admin_client.get(INDEX).content.decode()


def test_two_accounts_a_selector_posting_back_to_this_page_with_the_choice_selected(admin_client):
    one, two = account_default(), AccountFactory(name="Brand LLC")
    skus = reverse("admin:catalog_sku_changelist") + "?q=x"

    form = switcher(admin_client.get(skus).content.decode())

    assert f'action="{reverse("admin:ozonprice_account_switch")}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="next" value="{skus}"' in form
    assert '<option value="all" selected>All accounts</option>' in form
    assert f'<option value="{one.pk}">Ozon</option>' in form

    admin_client.post(reverse("admin:ozonprice_account_switch"), {"account": str(two.pk), "next": INDEX})
    form = switcher(admin_client.get(INDEX).content.decode())

    assert f'<option value="{two.pk}" selected>Brand LLC</option>' in form
    assert '<option value="all">All accounts</option>' in form


def test_not_on_the_login_page(client):
    account_default(), AccountFactory()

    assert "account-switch" not in client.get(reverse("admin:login")).content.decode()

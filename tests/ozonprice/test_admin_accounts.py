"""The Ozon account page: the key masked and write-only, the per-account settings, a connection test, last runs."""

from datetime import timedelta

import pytest
import responses
from django.urls import reverse
from django.utils import timezone

from auditlog.models import ApiLogEntry
from ozonprice.models import Account, TaskRun
from tests.factories import AccountFactory, SkuFactory, UserFactory
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

LIST = reverse("admin:ozonprice_account_changelist")
LIST_URL = "https://api-seller.ozon.ru/v3/product/list"
SECRET = "plaintext-api-key-5f4e3d2c1b0a"


def change_url(account: Account) -> str:
    return reverse("admin:ozonprice_account_change", args=[account.pk])


def account_form(**changes) -> dict:
    form = {
        "name": "Brand LLC",
        "client_id": "900100",
        "api_key": "",
        "active": "on",
        "showcase_source": "ozon_seller_price",
        "front_price_api_url": "",
        "front_price_seller_id": "",
        "promo_guard": "on",
        "promo_guard_mode": "report",
        "discount_requests_mode": "manual",
        "discount_decline_comment": "",
        "showcase_max_uplift": "15.00",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_the_list_shows_the_key_masked_the_sku_count_and_the_last_runs(admin_client):
    account = AccountFactory(name="Brand LLC", client_id="900100", api_key=SECRET)
    SkuFactory.create_batch(2, account=account)
    now = timezone.now()
    TaskRun.objects.create(
        name=f"monitor_products:{account.pk}", started_at=now, stopped_at=now, success=False, summary="Ozon 503"
    )

    page = admin_client.get(LIST).content.decode()

    assert "Brand LLC" in page and "900100" in page
    assert "****" + SECRET[-4:] in page and SECRET not in page and SECRET[:12] not in page
    row = page.split(">Brand LLC</a>")[1].split("</tr>")[0]
    assert '<td class="field-sku_count">2</td>' in row
    assert "Catalogue sync: Ozon 503" in row


def test_the_change_page_masks_the_key_and_groups_the_settings(admin_client):
    account = AccountFactory(api_key=SECRET)

    page = admin_client.get(change_url(account)).content.decode()

    assert SECRET not in page
    assert "****" + SECRET[-4:] in page
    assert 'type="password"' in page
    for title in ("Credentials", "Showcase price", "Storefront guard", "Price maintenance", "Last runs"):
        assert f">{title}<" in page, title
    assert 'id="test-connection"' in page


def test_a_blank_key_keeps_the_stored_one_and_a_new_key_replaces_it(admin_client):
    account = AccountFactory(name="Brand LLC", client_id="900100", api_key=SECRET)

    response = admin_client.post(change_url(account), account_form(dry_run="on"))

    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.api_key == SECRET and account.dry_run is True

    admin_client.post(change_url(account), account_form(api_key="  new-key-00112233445566  "))

    account.refresh_from_db()
    assert account.api_key == "new-key-00112233445566" and account.dry_run is False


def test_a_new_account_needs_its_key_and_the_front_price_url_is_checked(admin_client, refuse_private):
    add = reverse("admin:ozonprice_account_add")

    page = admin_client.get(add).content.decode()
    assert "Last runs" not in page and "Test connection" not in page

    response = admin_client.post(add, account_form(front_price_api_url="http://127.0.0.1/prices"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"api_key", "front_price_api_url"}

    response = admin_client.post(add, account_form(api_key=SECRET))
    assert response.status_code == 302
    assert Account.objects.get(client_id="900100").api_key == SECRET


def test_the_connection_test_calls_ozon_once_with_the_accounts_key_and_reports_it(admin_client, no_network):
    account = AccountFactory(name="Brand LLC", api_key=SECRET)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_empty"))
    url = reverse("admin:ozonprice_account_test_connection", args=[account.pk])

    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == change_url(account)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == "Brand LLC: Ozon accepted the Client-Id and Api-Key."
    assert no_network.calls[0].request.headers["Api-Key"] == SECRET
    assert SECRET not in response.content.decode()
    assert ApiLogEntry.objects.filter(service="ozon", endpoint="/v3/product/list").count() == 1


def test_a_refused_key_is_an_error_message(admin_client, no_network):
    account = AccountFactory(name="Brand LLC")
    no_network.add(responses.POST, LIST_URL, status=401, json={"code": 16, "message": "bad key", "details": []})

    response = admin_client.post(reverse("admin:ozonprice_account_test_connection", args=[account.pk]), follow=True)

    (message,) = list(response.context["messages"])
    assert message.level_tag == "error" and "refused the Client-Id and Api-Key (HTTP 401)" in str(message)


def test_the_connection_test_is_for_those_who_may_change_the_account(client, no_network):
    account = AccountFactory()
    client.force_login(UserFactory(staff=True, permissions=["ozonprice.view_account"]))

    response = client.post(reverse("admin:ozonprice_account_test_connection", args=[account.pk]))

    assert response.status_code == 403
    assert not no_network.calls


def test_the_change_page_shows_the_accounts_last_runs(admin_client):
    account, other = AccountFactory(), AccountFactory()
    now = timezone.now()
    TaskRun.objects.create(
        name=f"maintain_mrpc_prices:{account.pk}",
        started_at=now - timedelta(seconds=3),
        stopped_at=now,
        success=True,
        summary="sent 4 changes",
    )
    TaskRun.objects.create(
        name=f"maintain_mrpc_prices:{other.pk}", started_at=now, stopped_at=now, success=False, summary="other's run"
    )

    page = admin_client.get(change_url(account)).content.decode()

    runs = page.split('id="account-runs"')[1].split("</table>")[0]
    assert "Price maintenance" in runs and "sent 4 changes" in runs and "OK" in runs
    assert "Catalogue sync" in runs and "never" in runs
    assert "other&#x27;s run" not in runs and "other's run" not in runs


def test_an_account_with_skus_is_not_deleted(admin_client):
    account = AccountFactory(name="Brand LLC")
    SkuFactory(account=account)
    empty = AccountFactory()

    response = admin_client.post(reverse("admin:ozonprice_account_delete", args=[account.pk]), {"post": "yes"})
    followed = admin_client.get(response["Location"])

    assert Account.objects.filter(pk=account.pk).exists()
    (message,) = [str(m) for m in followed.context["messages"]]
    assert "Brand LLC has 1 SKU and cannot be deleted" in message

    admin_client.post(reverse("admin:ozonprice_account_delete", args=[empty.pk]), {"post": "yes"})
    assert not Account.objects.filter(pk=empty.pk).exists()

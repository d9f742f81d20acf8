"""The price history and price change logs in the admin: bounded list pages with filters and search, read-only.

(The log's "approve" action is tested with the approval screens.)
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pricing.models import ChangeStatus, PriceChange, PriceHistory, Reason
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal
HISTORY = reverse("admin:pricing_pricehistory_changelist")
CHANGES = reverse("admin:pricing_pricechange_changelist")


def history(sku, reason=Reason.SCHEDULED, price="1100"):
    return PriceHistory.objects.create(
        sku=sku, timestamp=timezone.now(), price_before=D("1000"), new_price=D(price), mrpc=D(price), reason=reason
    )


def change(sku, status=ChangeStatus.SENT, reason=Reason.SCHEDULED):
    return PriceChange.objects.create(
        sku=sku, status=status, reason=reason, price_before=D("1000"), expected_price=D("1100"), expected_old_price=D(0)
    )


def shown(response) -> list[str]:
    assert response.status_code == 200
    return sorted(row.sku.offer_id for row in response.context["cl"].result_list)


def test_the_history_lists_a_page_of_rows_in_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    skus = [SkuFactory() for _ in range(5)]
    for i in range(120):
        history(skus[i % 5])

    with django_assert_max_num_queries(10):  # the SKUs come with the rows, not one query each
        response = admin_client.get(HISTORY)

    assert len(response.context["cl"].result_list) == 100
    assert skus[0].offer_id in response.content.decode()


def test_the_history_filters_by_reason_and_searches_by_article(admin_client):
    history(SkuFactory(offer_id="LAMP-1"), Reason.ADMIN)
    history(SkuFactory(offer_id="LAMP-2"), Reason.SCHEDULED)
    history(SkuFactory(offer_id="CHAIR-1"), Reason.ADMIN)

    assert shown(admin_client.get(HISTORY, {"reason__exact": "admin"})) == ["CHAIR-1", "LAMP-1"]
    assert shown(admin_client.get(HISTORY, {"q": "lamp"})) == ["LAMP-1", "LAMP-2"]
    assert shown(admin_client.get(HISTORY, {"q": "lamp", "reason__exact": "admin"})) == ["LAMP-1"]


def test_the_change_log_filters_by_status_and_reason_and_searches_by_article(admin_client):
    change(SkuFactory(offer_id="LAMP-1"), ChangeStatus.HELD)
    change(SkuFactory(offer_id="LAMP-2"), ChangeStatus.FAILED, Reason.ADMIN)
    change(SkuFactory(offer_id="CHAIR-1"), ChangeStatus.HELD, Reason.ADMIN)

    assert shown(admin_client.get(CHANGES, {"status__exact": "held"})) == ["CHAIR-1", "LAMP-1"]
    assert shown(admin_client.get(CHANGES, {"reason__exact": "admin"})) == ["CHAIR-1", "LAMP-2"]
    assert shown(admin_client.get(CHANGES, {"q": "lamp"})) == ["LAMP-1", "LAMP-2"]


@pytest.mark.parametrize(("model", "make"), [("pricehistory", history), ("pricechange", change)])
def test_a_superuser_may_view_a_row_but_not_add_change_or_delete_one(admin_client, model, make):
    row = make(SkuFactory(offer_id="LAMP-1"))
    url = f"admin:pricing_{model}"

    page = admin_client.get(reverse(f"{url}_change", args=[row.pk]))
    posted = admin_client.post(reverse(f"{url}_change", args=[row.pk]), {"reason": Reason.MANUAL})

    assert page.status_code == 200 and "LAMP-1" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert admin_client.get(reverse(f"{url}_add")).status_code == 403
    assert admin_client.post(reverse(f"{url}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.reason == Reason.SCHEDULED
    assert type(row).objects.count() == 1


@pytest.mark.parametrize("changelist", [HISTORY, CHANGES])
def test_a_search_of_a_thousand_words_is_cut_and_still_finds(admin_client, changelist):
    sku = SkuFactory(offer_id="LAMP-1")
    history(sku)
    change(sku)

    response = admin_client.get(changelist, {"q": " ".join(["lamp"] * 1000)})

    assert shown(response) == ["LAMP-1"]
    assert [str(m) for m in response.context["messages"]] == ["The search used its first 20 words only."]

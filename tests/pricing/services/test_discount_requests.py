"""Buyers' discount requests: recorded, declined below MRPC when so set, never approved."""

from decimal import Decimal

import pytest
import requests  # noqa: TID251 - to simulate a timeout on the mock

from ozonprice.clients.ozon import OzonClient
from pricing.models import DiscountDecision, DiscountRequest, DiscountRequestStatus, Reason
from pricing.services.discount_requests import discount_requests_process
from pricing.services.promotions import promotions_guard
from tests.factories import SkuFactory, account_default
from tests.fakes.actions import FakeActions
from tests.fakes.ozon import fake_ozon_client

pytestmark = pytest.mark.django_db
D = Decimal
COMMENT = "Цена не может быть ниже МРЦ."


def client() -> OzonClient:
    return fake_ozon_client(api_key="guard-key")


def requests_mode(value: str) -> None:
    account = account_default()
    account.discount_requests_mode, account.discount_decline_comment = value, COMMENT
    account.save()


@pytest.fixture
def ozon(no_network) -> FakeActions:
    SkuFactory(product_id=1001, sku=5001, mrpc=D("1000"), active=True)
    SkuFactory(product_id=1002, sku=5002, mrpc=D("1000"), active=False)  # MRPC counts, maintenance or not
    SkuFactory(product_id=1003, sku=5003, mrpc=None)
    fake = FakeActions(
        tasks={
            1: {"sku": 5001, "requested_price": D("900")},  # below MRPC
            2: {"sku": 5001, "requested_price": D("1000")},  # at MRPC: the manager's call
            3: {"sku": 5002, "requested_price": D("999.99")},  # below MRPC
            4: {"sku": 5003, "requested_price": D("10")},  # no MRPC: the manager's call
            5: {"sku": 7777, "requested_price": D("10")},  # not in the catalogue
            6: {"sku": 5001, "requested_price": D("1"), "status": "DECLINED"},  # not NEW: not read
        }
    )
    return fake.install(no_network)


def decisions() -> dict[int, tuple]:
    return {r.ozon_id: (r.status, r.decision) for r in DiscountRequest.objects.all()}


def test_requests_below_mrpc_are_declined_with_the_comment_and_the_others_left(ozon):
    requests_mode("decline_below_mrpc")

    result = discount_requests_process(client=client(), reason=Reason.MANUAL, actor="cli")

    assert result.ok, result.error
    assert (result.requests_seen, result.requests_below_mrpc, result.declined) == (5, 2, 2)
    assert ozon.declined == [[{"id": 1, "seller_comment": COMMENT}, {"id": 3, "seller_comment": COMMENT}]]
    assert ozon.approved == []
    new, declined = DiscountRequestStatus.NEW, DiscountRequestStatus.DECLINED
    assert decisions() == {
        1: (declined, DiscountDecision.DECLINED_BELOW_MRPC),
        2: (new, ""),
        3: (declined, DiscountDecision.DECLINED_BELOW_MRPC),
        4: (new, ""),
        5: (new, ""),
    }
    row = DiscountRequest.objects.get(ozon_id=1)
    assert (row.sku.product_id, row.ozon_sku, row.requested_price, row.mrpc, row.original_price) == (
        1001,
        5001,
        D("900.00"),
        D("1000.00"),
        D("2000.00"),
    )
    assert (row.seller_comment, row.reason, row.actor) == (COMMENT, Reason.MANUAL, "cli")
    assert row.decided_at and row.end_at and row.created_at
    assert DiscountRequest.objects.get(ozon_id=5).sku is None


def test_manual_mode_records_the_requests_and_declines_nothing(ozon):
    requests_mode("manual")

    result = discount_requests_process(client=client())

    assert (result.requests_seen, result.requests_below_mrpc, result.declined) == (5, 2, 0)
    assert ozon.writes == 0 and DiscountRequest.objects.count() == 5
    assert set(DiscountRequest.objects.values_list("decision", flat=True)) == {""}


def test_a_second_read_updates_the_rows_without_duplicating_them(ozon):
    requests_mode("manual")
    discount_requests_process(client=client())
    ozon.tasks[2]["requested_price"] = D("950")

    discount_requests_process(client=client())

    assert DiscountRequest.objects.count() == 5
    assert DiscountRequest.objects.get(ozon_id=2).requested_price == D("950.00")


def test_ozons_refusal_to_decline_is_recorded_with_its_text(ozon):
    requests_mode("decline_below_mrpc")
    ozon.decline_failures[3] = "Заявка уже обработана"

    result = discount_requests_process(client=client())

    assert (result.declined, result.decline_refused) == (1, 1)
    row = DiscountRequest.objects.get(ozon_id=3)
    assert (row.status, row.decision, row.error_message) == (
        DiscountRequestStatus.NEW,
        DiscountDecision.DECLINE_REFUSED,
        "Заявка уже обработана",
    )
    assert result.errors == [{"product_id": "1002", "error": "discount request 3: Заявка уже обработана"}]


def test_a_decline_without_an_answer_is_not_sent_again_and_decides_nothing(ozon):
    requests_mode("decline_below_mrpc")
    ozon.failures["/v1/actions/discounts-task/decline"] = [(0, requests.ReadTimeout("slow"))]

    result = discount_requests_process(client=client())

    assert result.calls["/v1/actions/discounts-task/decline"] == 1 and result.declined == 0
    assert {r.decision for r in DiscountRequest.objects.filter(ozon_id__in=[1, 3])} == {""}
    assert "did not answer" in DiscountRequest.objects.get(ozon_id=1).error_message


def test_a_dry_run_declines_nothing(ozon):
    requests_mode("decline_below_mrpc")

    result = promotions_guard(client=client(), dry_run=True)

    assert (result.requests_below_mrpc, result.declined, ozon.writes) == (2, 0, 0)


def test_the_guard_declines_only_for_the_given_products(ozon):
    requests_mode("decline_below_mrpc")

    result = promotions_guard(client=client(), product_ids=[1002])

    assert result.declined == 1 and ozon.declined == [[{"id": 3, "seller_comment": COMMENT}]]


def test_declines_go_at_most_50_a_call(no_network):
    requests_mode("decline_below_mrpc")
    SkuFactory(product_id=1001, sku=5001, mrpc=D("1000"))
    fake = FakeActions(tasks={i: {"sku": 5001, "requested_price": D("1")} for i in range(1, 121)}).install(no_network)

    result = discount_requests_process(client=client())

    assert result.declined == 120
    assert [len(batch) for batch in fake.declined] == [50, 50, 20]
    assert result.calls == {"/v2/actions/discounts-task/list": 3, "/v1/actions/discounts-task/decline": 3}

"""Buyer discount requests on the sandbox: the v2 list, approve and decline, and the storefront."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.ozonprice.sandbox.helpers import active_ids, card_price, customer_price, post
from tests.ozonprice.sandbox.ozon_schema import assert_documented

pytestmark = pytest.mark.e2e

LIST, APPROVE, DECLINE = (
    "/v2/actions/discounts-task/list",
    "/v1/actions/discounts-task/approve",
    "/v1/actions/discounts-task/decline",
)
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def tasks(sandbox, **body) -> list[dict]:
    answer = post(sandbox, LIST, body)
    assert answer.status_code == 200, answer.text
    assert_documented(LIST, answer.json())
    return answer.json()["tasks"]


def decide(sandbox, path, items) -> dict:
    answer = post(sandbox, path, {"tasks": items})
    assert answer.status_code == 200, answer.text
    assert_documented(path, answer.json())
    return answer.json()["result"]


def approval(task_id, price, comment="ok") -> dict:
    return {
        "id": task_id,
        "approved_price": price,
        "approved_quantity_min": 1,
        "approved_quantity_max": 1,
        "seller_comment": comment,
    }


def test_a_task_in_the_v2_shape(make_sandbox, sandbox_clock):
    sandbox = make_sandbox(products=10, clock=sandbox_clock, wall_start=START)
    (product_id,) = active_ids(sandbox, 1)
    product = sandbox.product(product_id)
    requested = (product.price * Decimal("0.8")).quantize(Decimal(1))
    task_id = sandbox.add_discount_request(product_id, requested, quantity=2)
    (task,) = tasks(sandbox)
    assert task["id"] == task_id and task["sku"] == product.sku and "product_id" not in task
    assert task["status"] == "NEW" and task["requested_price"] == float(requested)
    assert task["original_price"] == float(product.price) and task["requested_quantity_max"] == 2
    assert task["requested_discount"] == 20 and task["name"] == product.name
    assert task["created_at"] == "2026-11-01T12:00:00Z" and task["end_at"] == "2026-11-04T12:00:00Z"
    assert task["moderated_at"] == "0001-01-01T00:00:00Z" and task["approved_price"] == 0


def test_status_filter_and_last_id_paging(make_sandbox):
    sandbox = make_sandbox(products=40)
    ids = active_ids(sandbox, 12)
    created = [sandbox.add_discount_request(p, sandbox.product(p).price - 10) for p in ids]
    decide(sandbox, DECLINE, [{"id": created[0]}, {"id": created[1]}])
    seen, last_id, calls = [], 0, 0
    while True:
        page = tasks(sandbox, status="NEW", limit=5, last_id=last_id)
        calls += 1
        seen += [task["id"] for task in page]
        if len(page) < 5:
            break
        last_id = page[-1]["id"]
    assert seen == created[2:] and calls == 3  # 10 NEW: two full pages, then an empty one
    assert [t["id"] for t in tasks(sandbox, status="DECLINED")] == created[:2]
    assert [t["id"] for t in tasks(sandbox)] == created  # ALL by default, 50 a page
    assert [t["id"] for t in tasks(sandbox, status="ALL", limit=10, last_id=str(created[9]))] == created[10:]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"limit": 7}, "limit: must be one of [5, 10, 15, 20, 30, 50], got 7"),
        ({"limit": 100}, "limit: must be one of [5, 10, 15, 20, 30, 50], got 100"),
        ({"status": "SEEN"}, "status: invalid value 'SEEN'"),
        ({"last_id": "abc"}, "last_id: invalid value 'abc'"),
    ],
)
def test_list_refuses_bad_requests(make_sandbox, body, message):
    sandbox = make_sandbox(products=5)
    answer = post(sandbox, LIST, body)
    assert answer.status_code == 400 and answer.json()["message"].startswith(message)


def test_approve_lowers_the_storefront_and_a_decided_task_cannot_change(make_sandbox, sandbox_clock):
    sandbox = make_sandbox(products=40, clock=sandbox_clock)
    product_id = next(p for p in active_ids(sandbox, 40) if sandbox.product(p).price > 1000)
    product = sandbox.set_price(product_id, marketing_seller_price=sandbox.product(product_id).price)
    low = (product.price * Decimal("0.7")).quantize(Decimal(1))
    first = sandbox.add_discount_request(product_id, low)
    second = sandbox.add_discount_request(product_id, low)
    result = decide(sandbox, APPROVE, [approval(first, float(low)), approval(999, 10)])
    assert result == {
        "fail_details": [{"task_id": 999, "error_for_user": "discount request 999 not found"}],
        "success_count": 1,
        "fail_count": 1,
    }
    assert customer_price(sandbox, product.sku) == str(low.quantize(Decimal("0.01")))
    assert card_price(sandbox, product.sku) == float(low)
    (approved,) = tasks(sandbox, status="APPROVED")
    assert approved["approved_price"] == float(low) and approved["email"] and approved["edited_till_duration"] > 0
    again = decide(sandbox, DECLINE, [{"id": first, "seller_comment": "no"}, {"id": second, "seller_comment": "no"}])
    assert again == {
        "fail_details": [
            {
                "task_id": first,
                "error_for_user": f"discount request {first} is APPROVED: only NEW requests can be approved or declined",
            }
        ],
        "success_count": 1,
        "fail_count": 1,
    }
    assert sandbox.discount_request(second).status == "DECLINED"
    assert sandbox.discount_request(second).seller_comment == "no"
    # The approved price holds until the request ends.
    sandbox_clock.advance(3 * 86_400)
    assert sandbox.showcase_price(product_id) == product.price


def test_a_declined_request_leaves_the_storefront_alone(make_sandbox):
    sandbox = make_sandbox(products=10)
    (product_id,) = active_ids(sandbox, 1)
    before = sandbox.showcase_price(product_id)
    task_id = sandbox.add_discount_request(product_id, 1)
    assert decide(sandbox, DECLINE, [{"id": str(task_id)}])["success_count"] == 1
    assert sandbox.showcase_price(product_id) == before


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (APPROVE, {}, "tasks: value is required and must be a non-empty array"),
        (APPROVE, {"tasks": []}, "tasks: value is required and must be a non-empty array"),
        (APPROVE, {"tasks": [{"id": 1, "approved_price": 10}]}, "tasks[0].approved_quantity_min: value is required"),
        (APPROVE, {"tasks": [{"id": 1, "approved_quantity_min": 1, "approved_quantity_max": 1}]},
         "tasks[0].approved_price: value is required"),
        (DECLINE, {"tasks": [{"seller_comment": "x"}]}, "tasks[0].id: value is required"),
        (DECLINE, {"tasks": [{"id": 1, "seller_comment": 5}]}, "tasks[0].seller_comment: expected a string"),
    ],
)  # fmt: skip
def test_decisions_refuse_bad_requests(make_sandbox, path, body, message):
    sandbox = make_sandbox(products=5)
    answer = post(sandbox, path, body)
    assert answer.status_code == 400 and answer.json()["message"] == message


def test_an_approval_at_no_price_is_a_fail_detail(make_sandbox):
    sandbox = make_sandbox(products=10)
    task_id = sandbox.add_discount_request(active_ids(sandbox, 1)[0], 100)
    result = decide(sandbox, APPROVE, [approval(task_id, 0)])
    assert result["fail_count"] == 1 and result["fail_details"][0]["task_id"] == task_id
    assert sandbox.discount_request(task_id).status == "NEW"

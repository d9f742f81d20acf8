"""Ozon's buyer discount-request methods: v2 list paged by the last id, decline with a comment, no approve.

Payloads come from tests/fixtures/ozon, shaped like the official OpenAPI
document's schemas and examples for each method.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import responses

from tests.fixtures import load_fixture
from tests.ozonprice.clients.test_ozon_actions import BASE, bodies

pytestmark = pytest.mark.django_db
D = Decimal


def test_new_discount_requests_page_by_the_last_tasks_id(no_network, client):
    url = BASE + "/v2/actions/discounts-task/list"
    template = load_fixture("discount_tasks_v2")["tasks"][0]
    no_network.add(responses.POST, url, json={"tasks": [dict(template, id=i) for i in range(1, 51)]})
    no_network.add(responses.POST, url, json=load_fixture("discount_tasks_v2"))

    pages = list(client.discount_tasks_pages())

    assert [len(p) for p in pages] == [50, 2]
    assert bodies(no_network) == [{"status": "NEW", "limit": 50}, {"status": "NEW", "limit": 50, "last_id": 50}]
    task = pages[1][0]
    assert (task.id, task.sku, task.requested_price, task.original_price, task.requested_quantity_max) == (
        9001,
        5001,
        D("990.00"),
        D("1375.00"),
        2,
    )
    assert task.end_at == datetime(2026, 11, 25, 8, tzinfo=UTC)


def test_discount_requests_take_only_a_documented_limit(client):
    with pytest.raises(ValueError, match="limit"):
        list(client.discount_tasks_pages(limit=100))


def test_declining_sends_the_comment_and_reads_ozons_failures(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/actions/discounts-task/decline", json=load_fixture("discount_decline"))

    result = client.discount_tasks_decline(tasks=[(9001, "Ниже МРЦ"), (9003, "Ниже МРЦ")])

    assert bodies(no_network) == [
        {"tasks": [{"id": 9001, "seller_comment": "Ниже МРЦ"}, {"id": 9003, "seller_comment": "Ниже МРЦ"}]}
    ]
    assert (result.success_count, result.failed) == (1, {9003: "Заявка уже обработана"})
    with pytest.raises(ValueError, match="50"):
        client.discount_tasks_decline(tasks=[(i, "") for i in range(51)])


def test_the_client_has_no_way_to_approve_a_request(client):
    assert not [name for name in dir(client) if "approve" in name]

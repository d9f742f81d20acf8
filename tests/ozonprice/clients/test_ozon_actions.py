"""Ozon's promotion and timer methods: documented shapes, paging, batch limits, errors.

Payloads come from tests/fixtures/ozon, shaped like the official OpenAPI
document's schemas and examples for each method.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - to simulate a timeout on the mock
import responses

from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonResponseError
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"
D = Decimal


def bodies(mock) -> list[dict]:
    return [json.loads(call.request.body) for call in mock.calls]


def action_page(ids, *, last_id="bnVsbA==") -> dict:
    template = load_fixture("action_products")["result"]["products"][0]
    return {"result": {"products": [dict(template, id=i) for i in ids], "total": 99999, "last_id": last_id}}


# --- GET /v1/actions -------------------------------------------------------------
def test_the_promotion_list_is_read_with_whole_ids(no_network, client):
    no_network.add(responses.GET, BASE + "/v1/actions", json=load_fixture("actions_list"))

    actions = client.actions_list()

    assert [(a.id, a.title, a.is_participating, a.participating_products_count) for a in actions] == [
        (71342, "Скидки недели", True, 5),
        (71343, "Распродажа", False, 0),
    ]
    assert client.calls == {"/v1/actions": 1}


def test_a_fractional_promotion_id_is_a_malformed_answer(no_network, client):
    body = load_fixture("actions_list")
    body["result"][0]["id"] = 71342.5
    no_network.add(responses.GET, BASE + "/v1/actions", json=body)

    with pytest.raises(OzonResponseError, match="/v1/actions"):
        client.actions_list()


# --- POST /v1/actions/products: last_id paging -----------------------------------
def test_action_products_page_by_last_id_and_stop_on_a_short_page(no_network, client):
    url = BASE + "/v1/actions/products"
    no_network.add(responses.POST, url, json=action_page(range(1, 101), last_id="cGFnZTE="))
    no_network.add(responses.POST, url, json=action_page(range(101, 201), last_id="cGFnZTI="))
    no_network.add(responses.POST, url, json=action_page([201], last_id="cGFnZTM="))

    pages = list(client.action_products_pages(action_id=71342))

    assert [len(p) for p in pages] == [100, 100, 1]
    assert bodies(no_network) == [
        {"action_id": 71342, "limit": 100, "offset": 0},
        {"action_id": 71342, "limit": 100, "offset": 0, "last_id": "cGFnZTE="},
        {"action_id": 71342, "limit": 100, "offset": 0, "last_id": "cGFnZTI="},
    ]  # `offset` (switched off, still marked required) stays 0, and `total` (99999) is never read


def test_action_products_stop_on_an_empty_page(no_network, client):
    url = BASE + "/v1/actions/products"
    no_network.add(responses.POST, url, json=action_page(range(1, 101), last_id="cGFnZTE="))
    no_network.add(responses.POST, url, json={"result": {"products": [], "total": 0, "last_id": ""}})

    pages = list(client.action_products_pages(action_id=71342))

    assert [len(p) for p in pages] == [100] and len(no_network.calls) == 2


def test_action_products_stop_when_the_cursor_does_not_move(no_network, client):
    url = BASE + "/v1/actions/products"
    no_network.add(responses.POST, url, json=action_page(range(1, 101), last_id="c2FtZQ=="))
    no_network.add(responses.POST, url, json=action_page(range(101, 201), last_id="c2FtZQ=="))

    pages = list(client.action_products_pages(action_id=1))

    assert len(pages) == 2 and len(no_network.calls) == 2


def test_a_page_served_again_is_an_error_not_the_end(no_network, client):
    url = BASE + "/v1/actions/products"
    no_network.add(responses.POST, url, json=action_page(range(1, 101), last_id="cGFnZTE="))
    no_network.add(responses.POST, url, json=action_page(range(1, 101), last_id="cGFnZTI="))

    with pytest.raises(OzonResponseError, match="again"):
        list(client.action_products_pages(action_id=71342))


def test_action_products_parse_prices_as_decimals(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/actions/products", json=load_fixture("action_products"))

    [page] = list(client.action_products_pages(action_id=71342))

    assert [(p.product_id, p.price, p.action_price, p.add_mode) for p in page] == [
        (1001, D("1100.00"), D("935.00"), "AUTO"),
        (1002, D("1100.00"), D("1150.50"), "MANUAL"),
    ]


# --- POST /v1/actions/products/deactivate ----------------------------------------
def test_deactivation_answers_removed_and_rejected_with_ozons_reasons(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/actions/products/deactivate", json=load_fixture("action_deactivate"))

    result = client.action_products_deactivate(action_id=71342, product_ids=[1001, 1003])

    assert bodies(no_network) == [{"action_id": 71342, "product_ids": [1001, 1003]}]
    assert result.removed == [1001]
    assert result.rejected == {1003: "Нельзя удалить товар из акции после её заморозки"}


def test_deactivation_takes_at_most_1000_products_a_call(no_network, client):
    with pytest.raises(ValueError, match="1000"):
        client.action_products_deactivate(action_id=1, product_ids=list(range(1001)))
    assert client.action_products_deactivate(action_id=1, product_ids=[]).removed == []
    assert len(no_network.calls) == 0


def test_a_deactivation_without_an_answer_is_not_sent_again(no_network, client):
    url = BASE + "/v1/actions/products/deactivate"
    no_network.add(responses.POST, url, body=requests.ReadTimeout("slow"))
    no_network.add(responses.POST, url, json=load_fixture("action_deactivate"))

    with pytest.raises(ApiError) as caught:
        client.action_products_deactivate(action_id=1, product_ids=[1001])

    assert caught.value.outcome_unknown and len(no_network.calls) == 1


def test_a_rate_limited_deactivation_is_sent_again(no_network, client):
    url = BASE + "/v1/actions/products/deactivate"
    no_network.add(responses.POST, url, status=429, json=load_fixture("error_429_rate_limit"))
    no_network.add(responses.POST, url, json=load_fixture("action_deactivate"))

    assert client.action_products_deactivate(action_id=1, product_ids=[1001]).removed == [1001]
    assert len(no_network.calls) == 2


def test_a_missing_actions_role_is_a_permanent_error(no_network, client):
    no_network.add(
        responses.POST,
        BASE + "/v1/actions/products/deactivate",
        status=403,
        json=load_fixture("error_403_missing_role"),
    )

    with pytest.raises(ApiError) as caught:
        client.action_products_deactivate(action_id=1, product_ids=[1001])

    assert caught.value.permanent and caught.value.status == 403


# --- the seller's own promotions -----------------------------------------------------
def test_seller_actions_page_by_offset_and_ask_only_for_ones_not_ended(no_network, client):
    url = BASE + "/v1/seller-actions/list"
    template = load_fixture("seller_actions_list")["actions"][0]
    full = {"actions": [dict(template, action_id=i) for i in range(1, 101)], "total": 1}  # a wrong total
    no_network.add(responses.POST, url, json=full)
    no_network.add(responses.POST, url, json=load_fixture("seller_actions_list"))

    pages = list(client.seller_actions_pages())

    assert [len(p) for p in pages] == [100, 1]
    assert pages[1][0].id == 5551 and pages[1][0].title == "Моя скидка" and pages[1][0].status == "ACTIVE"
    statuses = ["ACTIVE", "PLANNED", "PAUSED"]
    assert bodies(no_network) == [
        {"limit": 100, "offset": 0, "status": statuses},
        {"limit": 100, "offset": 100, "status": statuses},
    ]


def test_seller_action_products_follow_the_cursor_while_has_next(no_network, client):
    url = BASE + "/v1/seller-actions/products/list"
    first = load_fixture("seller_action_products")
    first.update(cursor=2, has_next=True)
    no_network.add(responses.POST, url, json=first)
    no_network.add(responses.POST, url, json=dict(load_fixture("seller_action_products"), cursor=4, has_next=False))

    pages = list(client.seller_action_products_pages(action_id=5551))

    assert bodies(no_network) == [{"action_id": 5551, "limit": 100}, {"action_id": 5551, "limit": 100, "cursor": 2}]
    product = pages[0][0]
    assert (product.product_id, product.skus, product.action_price, product.is_active) == (1001, [5001], D("968"), True)
    assert pages[0][1].is_active is False


def test_seller_action_products_stop_on_an_empty_page_even_if_has_next(no_network, client):
    no_network.add(
        responses.POST, BASE + "/v1/seller-actions/products/list", json={"products": [], "cursor": 7, "has_next": True}
    )

    assert list(client.seller_action_products_pages(action_id=1)) == []
    assert len(no_network.calls) == 1


def test_seller_action_products_are_deleted_by_sku_and_a_bare_200_is_success(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/seller-actions/products/delete", body="")

    client.seller_action_products_delete(action_id=5551, skus=[5001, 5002])

    assert bodies(no_network) == [{"action_id": 5551, "skus": ["5001", "5002"]}]
    with pytest.raises(ValueError, match="1000"):
        client.seller_action_products_delete(action_id=1, skus=list(range(1001)))


# --- the min-price timer ---------------------------------------------------------------
def test_timer_status_is_read_per_product(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/product/action/timer/status", json=load_fixture("timer_status"))

    statuses = client.timer_status(product_ids=[1001, 1002])

    assert bodies(no_network) == [{"product_ids": ["1001", "1002"]}]
    assert [(s.product_id, s.expires_at) for s in statuses] == [
        (1001, datetime(2026, 11, 30, 10, tzinfo=UTC)),
        (1002, datetime(2026, 11, 20, 10, tzinfo=UTC)),
    ]


def test_timer_update_takes_at_most_1000_ids_and_accepts_an_empty_object(no_network, client):
    no_network.add(responses.POST, BASE + "/v1/product/action/timer/update", json={})

    client.timer_update(product_ids=[1001])

    assert bodies(no_network) == [{"product_ids": ["1001"]}]
    with pytest.raises(ValueError, match="1000"):
        client.timer_update(product_ids=list(range(1001)))
    with pytest.raises(ValueError, match="1000"):
        client.timer_status(product_ids=list(range(1001)))

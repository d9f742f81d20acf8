"""Price writes over HTTP: `/v1/product/import/prices`, the hourly budget, the lagging storefront."""

import time
from decimal import Decimal

import pytest

from ozonprice.sandbox.prices_api import LIMIT_MESSAGE
from tests.ozonprice.sandbox.helpers import IMPORT, active_ids, card_price, customer_price, info, post, v5

pytestmark = pytest.mark.e2e


def one(sandbox, **item):
    answer = post(sandbox, IMPORT, {"prices": [item]})
    assert answer.status_code == 200, answer.text
    return answer.json()["result"][0]


def test_a_mixed_batch_answers_200_with_one_result_per_item(ozon_sandbox):
    first, second, third = active_ids(ozon_sandbox, 3)
    items = [
        {"product_id": first, "price": "1000", "old_price": "1200", "min_price": "1000"},
        {"product_id": str(second), "price": "300", "old_price": "310"},
        {"product_id": 999},
        {"offer_id": "ART-999999", "price": "500"},
        {
            "offer_id": f"ART-{third - 100000000:06d}",
            "product_id": first,
            "price": "777",
            "old_price": "0",
            "min_price": "0",
        },
        {"price": "100"},
    ]
    answer = post(ozon_sandbox, IMPORT, {"prices": items})
    assert answer.status_code == 200
    result = answer.json()["result"]
    assert [(r["product_id"], r["updated"]) for r in result] == [
        (first, True),
        (second, False),
        (999, False),
        (0, False),
        (third, True),  # offer_id wins over product_id
        (0, False),
    ]
    assert result[1]["errors"][0]["code"] == "discount_for_low_price_is_too_small"
    not_found = {"code": "NOT_FOUND_ERROR", "message": "product not found"}
    assert result[2]["errors"] == result[3]["errors"] == result[5]["errors"] == [not_found]
    assert result[3]["offer_id"] == "ART-999999"
    assert all(set(r) == {"product_id", "offer_id", "updated", "errors"} for r in result)
    assert result[0]["errors"] == [] and result[0]["offer_id"] == f"ART-{first - 100000000:06d}"
    assert ozon_sandbox.product(third).price == Decimal("777.00")
    assert ozon_sandbox.product(first).price == Decimal("1000.00")
    assert ozon_sandbox.price_imports == [items]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"prices": []},
        {"prices": "nope"},
        {"prices": [{"product_id": 100000001, "price": "100"}] * 1001},
        {"prices": [{"product_id": 100000001, "auto_add_to_ozon_actions_list_enabled": "NO"}]},
        {"prices": [17]},
    ],
)
def test_bad_batches_answer_400_with_ozons_body_and_change_nothing(ozon_sandbox, body):
    answer = post(ozon_sandbox, IMPORT, body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == 3 and error["message"] and error["details"] == []
    assert ozon_sandbox.price_imports == []


@pytest.mark.parametrize(
    ("prices", "code"),
    [
        ({"price": "12,50"}, "invalid_price"),
        ({"price": "-1"}, "price_negative"),
        ({"price": "1000", "old_price": "999"}, "old_price_less_than_price"),
        ({"price": "400", "old_price": "420"}, "discount_for_low_price_is_too_small"),
        ({"price": "2000", "old_price": "2100"}, "discount_for_average_price_is_too_small"),
        ({"price": "20000", "old_price": "20500"}, "discount_for_top_price_is_too_small"),
        ({"price": "1000", "old_price": "10000"}, "discount_too_big"),
        ({"price": "1000", "old_price": "0", "min_price": "1001"}, "price_less_than_min_auto_price"),
    ],
)
def test_every_rule_answers_its_code_and_leaves_the_product_alone(ozon_sandbox, prices, code):
    (product_id,) = active_ids(ozon_sandbox, 1)
    before = ozon_sandbox.product(product_id)
    result = one(ozon_sandbox, product_id=product_id, **{"min_price": "0", **prices})
    assert result["updated"] is False and [e["code"] for e in result["errors"]] == [code]
    assert result["errors"][0]["message"]
    assert ozon_sandbox.product(product_id) == before


def test_a_valid_import_shows_at_once_in_v5_and_info_and_on_the_storefront_later(make_sandbox, clock):
    sandbox = make_sandbox(products=50, storefront_delay_s=60, clock=clock)
    (product_id,) = active_ids(sandbox, 1)
    before = sandbox.product(product_id)
    sku = before.sku
    shown_before = before.marketing_seller_price
    assert one(sandbox, product_id=product_id, price="1999", old_price="2499", min_price="1999")["updated"]

    prices = v5(sandbox, product_id)
    assert (prices["price"], prices["old_price"], prices["min_price"]) == (1999, 2499, 1999)
    item = info(sandbox, product_id)
    assert (item["price"], item["old_price"], item["min_price"]) == ("1999.00", "2499.00", "1999.00")
    # The storefront has not moved yet: v5 marketing_seller_price, customer_price and card_price lag.
    assert Decimal(str(prices["marketing_seller_price"])) == shown_before
    assert Decimal(customer_price(sandbox, sku)) == shown_before
    assert Decimal(str(card_price(sandbox, sku))) == shown_before

    clock.advance(59)
    assert Decimal(customer_price(sandbox, sku)) == shown_before
    clock.advance(1)
    assert v5(sandbox, product_id)["marketing_seller_price"] == 1999
    assert customer_price(sandbox, sku) == "1999.00"
    assert card_price(sandbox, sku) == 1999
    assert sandbox.showcase_price(product_id) == Decimal("1999.00")


def test_the_storefront_delay_runs_on_real_time_too(make_sandbox):
    sandbox = make_sandbox(products=20, storefront_delay_s=0.2)
    (product_id,) = active_ids(sandbox, 1)
    sku = sandbox.product(product_id).sku
    assert one(sandbox, product_id=product_id, price="5000", old_price="0", min_price="0")["updated"]
    assert customer_price(sandbox, sku) != "5000.00"
    time.sleep(0.25)
    assert customer_price(sandbox, sku) == "5000.00"


def test_without_delay_the_storefront_follows_at_once(ozon_sandbox):
    (product_id,) = active_ids(ozon_sandbox, 1)
    assert one(ozon_sandbox, product_id=product_id, price="321", old_price="400", min_price="321")["updated"]
    assert v5(ozon_sandbox, product_id)["marketing_seller_price"] == 321
    assert customer_price(ozon_sandbox, ozon_sandbox.product(product_id).sku) == "321.00"


def test_the_eleventh_change_in_an_hour_is_an_item_error(make_sandbox, clock):
    sandbox = make_sandbox(products=20, clock=clock)
    product_id, other = active_ids(sandbox, 2)
    for n in range(10):
        assert one(sandbox, product_id=product_id, price=str(1000 + n), old_price="0", min_price="0")["updated"]
        clock.advance(60)
    # A refused item does not spend the budget, and other products have their own.
    assert not one(sandbox, product_id=product_id, price="-1")["updated"]
    assert one(sandbox, product_id=other, price="1000", old_price="0", min_price="0")["updated"]
    eleventh = one(sandbox, product_id=product_id, price="2000", old_price="0")
    assert eleventh["updated"] is False
    assert eleventh["errors"] == [{"code": "error limiting", "message": LIMIT_MESSAGE}]
    assert LIMIT_MESSAGE == "error limiting: acquire limit per item: items limit: limit exceeded"
    assert sandbox.product(product_id).price == Decimal("1009.00")
    assert sandbox.price_changes_last_hour(product_id) == 10
    # Rolling: an hour after the first change, one more is allowed.
    clock.advance(3600 - 10 * 60)
    assert one(sandbox, product_id=product_id, price="2000", old_price="0")["updated"]
    assert not one(sandbox, product_id=product_id, price="2001", old_price="0")["updated"]


def test_the_limit_counts_within_one_batch_too(make_sandbox, clock):
    sandbox = make_sandbox(products=5, clock=clock)
    (product_id,) = active_ids(sandbox, 1)
    items = [{"product_id": product_id, "price": str(500 + n), "old_price": "0", "min_price": "0"} for n in range(12)]
    result = post(sandbox, IMPORT, {"prices": items}).json()["result"]
    assert [r["updated"] for r in result] == [True] * 10 + [False] * 2
    assert sandbox.product(product_id).price == Decimal("509.00")


def test_promotion_flags_are_recorded_and_shown(ozon_sandbox):
    (product_id,) = active_ids(ozon_sandbox, 1)
    item = {
        "product_id": product_id,
        "price": "1500",
        "old_price": "0",
        "min_price": "1500",
        "min_price_for_auto_actions_enabled": True,
        "auto_add_to_ozon_actions_list_enabled": "DISABLED",
        "auto_action_enabled": "DISABLED",
        "price_strategy_enabled": "DISABLED",
        "currency_code": "RUB",
        "vat": "0.2",
    }
    assert one(ozon_sandbox, **item)["updated"]
    assert ozon_sandbox.price_flags(product_id) == {
        "min_price_for_auto_actions_enabled": True,
        "auto_add_to_ozon_actions_list_enabled": "DISABLED",
        "auto_action_enabled": "DISABLED",
        "price_strategy_enabled": "DISABLED",
        "currency_code": "RUB",
        "vat": "0.2",
    }
    prices = v5(ozon_sandbox, product_id)
    assert prices["auto_add_to_ozon_actions_list_enabled"] is False and prices["auto_action_enabled"] is False
    assert prices["vat"] == 0.2 and info(ozon_sandbox, product_id)["vat"] == "0.2"


def test_old_price_zero_resets_the_crossed_out_price(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    product_id = next(catalog.product_id_of(i) for i in catalog.active_indices() if catalog.product(i).old_price)
    assert one(ozon_sandbox, product_id=product_id, old_price="0", min_price="0")["updated"]
    assert v5(ozon_sandbox, product_id)["old_price"] == 0 and info(ozon_sandbox, product_id)["old_price"] == "0.00"


def test_reject_prices_makes_a_product_fail_until_lifted(ozon_sandbox):
    first, second = active_ids(ozon_sandbox, 2)
    ozon_sandbox.reject_prices(first, "invalid_cat egory_price", "the price is too low for the category")
    body = {
        "prices": [{"product_id": pid, "price": "999", "old_price": "0", "min_price": "0"} for pid in (first, second)]
    }
    result = post(ozon_sandbox, IMPORT, body).json()["result"]
    assert result[0]["updated"] is False and result[1]["updated"] is True
    assert result[0]["errors"] == [
        {"code": "invalid_cat egory_price", "message": "the price is too low for the category"}
    ]
    ozon_sandbox.reject_prices(first, None)
    assert one(ozon_sandbox, product_id=first, price="999", old_price="0", min_price="0")["updated"]
    with pytest.raises(KeyError):
        ozon_sandbox.reject_prices(1, "x")


def test_archived_products_take_prices_and_removed_ones_are_not_found(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    archived = next(catalog.product_id_of(i) for i in range(1, 301) if catalog.product(i).archived)
    removed = active_ids(ozon_sandbox, 1)[0]
    ozon_sandbox.remove([removed])
    assert one(ozon_sandbox, product_id=archived, price="800", old_price="0", min_price="0")["updated"]
    assert one(ozon_sandbox, product_id=removed, price="800")["errors"][0]["code"] == "NOT_FOUND_ERROR"


def test_imports_need_ozon_credentials(ozon_sandbox):
    answer = post(ozon_sandbox, IMPORT, {"prices": [{"product_id": 100000001, "price": "1"}]}, headers={})
    assert answer.status_code == 401 and ozon_sandbox.price_imports == []

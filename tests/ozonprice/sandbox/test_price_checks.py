"""The sandbox's own reading of Ozon's price rules (no HTTP): every rule and its edges."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.price_checks import check_item, check_request_item
from ozonprice.sandbox.products import demo_product
from ozonprice.sandbox.routing import OzonError

# Product 1 of seed 1; its own prices only matter where an item leaves a field out.
CURRENT = demo_product(1, 1)._replace(price=Decimal("1000.00"), old_price=Decimal("1500.00"), min_price=Decimal(0))


def codes(item, current=CURRENT):
    changes, errors = check_item(item, current)
    assert not (changes and errors)  # a failing item changes nothing
    return [e["code"] for e in errors]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # strings with a decimal point and up to two decimals
        ({"price": "abc"}, ["invalid_price"]),
        ({"price": "12.345"}, ["invalid_price"]),
        ({"price": "1e3"}, ["invalid_price"]),
        ({"price": "1 000"}, ["invalid_price"]),
        ({"price": 1000}, ["invalid_price"]),
        ({"price": "1000", "old_price": 1200}, ["invalid_price"]),
        ({"price": "0"}, ["invalid_price"]),
        ({"price": "-5"}, ["price_negative"]),
        ({"price": "1000", "old_price": "-1"}, ["price_negative"]),
        ({"price": "1000", "min_price": "-0.01"}, ["price_negative"]),
        # old_price must exceed price
        ({"price": "1000", "old_price": "900"}, ["old_price_less_than_price"]),
        ({"price": "1000", "old_price": "1000"}, ["old_price_less_than_price"]),
        # price ≤ 400: more than 20 RUB
        ({"price": "400", "old_price": "420"}, ["discount_for_low_price_is_too_small"]),
        ({"price": "400", "old_price": "420.01"}, []),
        ({"price": "150", "old_price": "170"}, ["discount_for_low_price_is_too_small"]),
        ({"price": "150", "old_price": "171"}, []),
        # 400 < price ≤ 10 000: more than 5 % of old_price
        ({"price": "400.01", "old_price": "421"}, ["discount_for_average_price_is_too_small"]),
        ({"price": "1000", "old_price": "1052.63"}, ["discount_for_average_price_is_too_small"]),
        ({"price": "1000", "old_price": "1052.64"}, []),
        ({"price": "10000", "old_price": "10526"}, ["discount_for_average_price_is_too_small"]),
        ({"price": "10000", "old_price": "10527"}, []),
        # > 10 000: more than 500 RUB
        ({"price": "10000.01", "old_price": "10500.01"}, ["discount_for_top_price_is_too_small"]),
        ({"price": "10000.01", "old_price": "10500.02"}, []),
        ({"price": "40000", "old_price": "40500"}, ["discount_for_top_price_is_too_small"]),
        # the gap must stay under 90 % of old_price
        ({"price": "100", "old_price": "1000"}, ["discount_too_big"]),
        ({"price": "100", "old_price": "999"}, []),
        ({"price": "1000", "old_price": "20000"}, ["discount_too_big"]),
        # min_price ≤ price
        ({"price": "1000", "old_price": "0", "min_price": "1000.01"}, ["price_less_than_min_auto_price"]),
        ({"price": "1000", "old_price": "0", "min_price": "1000"}, []),
        # old_price "0" resets: no gap rules at all
        ({"price": "1000", "old_price": "0"}, []),
        ({"price": "1000", "old_price": "0.00"}, []),
        # currency and VAT
        ({"price": "1000", "currency_code": "USD"}, ["invalid_currency_code"]),
        ({"price": "1000", "currency_code": "XYZ"}, ["invalid_currency_code"]),
        ({"price": "1000", "currency_code": "RUB", "vat": "0.22"}, []),
        ({"price": "1000", "vat": "0.3"}, ["invalid_vat"]),
        ({"price": "1000", "vat": "sNaN"}, ["invalid_vat"]),
    ],
)
def test_each_rule_with_its_code(item, expected):
    assert codes(item) == expected


def test_fields_left_out_keep_their_current_values():
    # price alone: the current old_price 1500 is judged against the new price
    assert codes({"price": "1450"}) == ["discount_for_average_price_is_too_small"]
    assert codes({"old_price": "1020"}) == ["discount_for_average_price_is_too_small"]
    assert codes({"min_price": "1200"}) == ["price_less_than_min_auto_price"]
    assert codes({"price": "", "old_price": "1600"}) == []  # empty means "not sent"


def test_several_problems_are_reported_together():
    assert codes({"price": "1000", "old_price": "1010", "min_price": "2000"}) == [
        "discount_for_average_price_is_too_small",
        "price_less_than_min_auto_price",
    ]


def test_an_accepted_item_lists_its_changes():
    item = {
        "price": "999.90",
        "old_price": "0",
        "min_price": "999.90",
        "net_price": "500",
        "currency_code": "RUB",
        "vat": "0.20",
        "auto_add_to_ozon_actions_list_enabled": "DISABLED",
        "auto_action_enabled": "UNKNOWN",
    }
    changes, errors = check_item(item, CURRENT)
    assert errors == []
    assert changes == {
        "price": Decimal("999.90"),
        "old_price": Decimal("0"),
        "min_price": Decimal("999.90"),
        "net_price": Decimal("500"),
        "currency_code": "RUB",
        "vat": "0.2",
        "auto_add_to_ozon_actions_list_enabled": False,
    }


@pytest.mark.parametrize(
    "item",
    [
        "not an object",
        {"product_id": "12a"},
        {"product_id": 1.5},
        {"offer_id": 5},
        {"auto_add_to_ozon_actions_list_enabled": "OFF"},
        {"price_strategy_enabled": True},
        {"min_price_for_auto_actions_enabled": "true"},
        {"vat": 0.2},
    ],
)
def test_what_protobuf_refuses_is_a_400_for_the_whole_request(item):
    with pytest.raises(OzonError) as caught:
        check_request_item(item, 3)
    assert caught.value.status == 400 and caught.value.code == 3
    assert "prices[3]" in caught.value.message

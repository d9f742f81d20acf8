"""The price-edit request shapes: items of known keys, typed values, no SKU twice; values are the service's."""

from decimal import Decimal

import pytest

from pricing.serializers import MAX_ITEMS, SetDiscountRequestSerializer, SetMrpcRequestSerializer


def read(serializer_class, data):
    serializer = serializer_class(data=data)
    return serializer.is_valid(), (serializer.validated_data if serializer.is_valid() else serializer.errors)


def test_items_are_read_with_text_references_and_decimal_values():
    ok, values = read(
        SetMrpcRequestSerializer, {"items": [{"sku": 123, "mrpc": "1290.50"}, {"sku": "ART-1", "mrpc": 990}]}
    )

    assert ok and values["items"] == [
        {"sku": "123", "mrpc": Decimal("1290.50")},
        {"sku": "ART-1", "mrpc": Decimal("990")},
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"sku": "A", "mrpc": 1}], "dry_run": True}, "dry_run"),
        ({"items": [{"sku": "A", "mrpc": 1, "price": 5}]}, "items"),
        ({"items": [{"sku": "A", "mrpc": "1e3"}]}, "items"),
        ({"items": [{"sku": "A", "mrpc": 1}, {"sku": "A", "mrpc": 2}]}, "items"),
        ({"items": [{"sku": "A", "mrpc": 1}] * (MAX_ITEMS + 1)}, "items"),
    ],
)
def test_a_bad_shape_is_a_400_naming_the_field(data, field):
    ok, errors = read(SetMrpcRequestSerializer, data)

    assert not ok and field in errors


def test_a_repeated_sku_names_the_first_item():
    ok, errors = read(
        SetDiscountRequestSerializer, {"items": [{"sku": "A", "discount": 5}, {"sku": "A", "discount": 6}]}
    )

    assert not ok and "0" in str(errors["items"]["1"]["sku"][0])  # keyed as JSON keys it


def test_a_value_out_of_range_is_left_to_the_service_per_item():
    ok, values = read(SetDiscountRequestSerializer, {"items": [{"sku": "A", "discount": 95}]})

    assert ok and values["items"][0]["discount"] == Decimal("95")

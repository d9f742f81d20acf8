"""The sandbox's request readers: ids and enums checked as Ozon checks them, errors in Ozon's body shape."""

import json

import pytest

from ozonprice.sandbox.routing import OzonError, encode, int64_list, int64_value, invalid_argument, string_list


def test_an_error_has_ozons_rpc_status_body():
    error = invalid_argument("limit: too big")

    assert (error.status, error.code) == (400, 3)
    assert error.body() == {"code": 3, "message": "limit: too big", "details": []}


def test_answers_are_compact_utf8_json():
    assert encode({"name": "Чайник", "n": 1}) == '{"name":"Чайник","n":1}'.encode()
    assert json.loads(encode([1, 2])) == [1, 2]


def test_an_id_list_takes_numbers_and_digit_strings_within_its_bounds():
    assert int64_list({"ids": [1, "2"]}, "ids", most=2) == [1, 2]
    assert int64_list({}, "ids", most=2, required=False) == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": "1"},
        {"ids": []},
        {"ids": [1, 2, 3]},
        {"ids": [1.5]},
        {"ids": [True]},
        {"ids": ["x"]},
        {"ids": ["²"]},
        {"ids": ["١٢"]},
    ],
)
def test_a_bad_id_list_is_a_400_never_a_crash(body):
    with pytest.raises(OzonError) as caught:
        int64_list(body, "ids", most=2)
    assert caught.value.status == 400 and "ids" in caught.value.message


@pytest.mark.parametrize(("value", "expected"), [(None, 7), ("", 7), (3, 3), (4.0, 4), ("12", 12)])
def test_one_value_takes_whole_numbers_and_digit_strings(value, expected):
    assert int64_value({"n": value}, "n", default=7) == expected


@pytest.mark.parametrize("value", [-1, 1.5, "1e3", "²", "١٢", [1]])
def test_a_bad_value_is_a_400_never_a_crash(value):
    with pytest.raises(OzonError) as caught:
        int64_value({"n": value}, "n")
    assert caught.value.status == 400


def test_a_required_value_must_be_given():
    with pytest.raises(OzonError, match="required"):
        int64_value({}, "n", required=True)


def test_an_enum_list_takes_only_allowed_values_up_to_its_limit():
    assert string_list({"s": ["A", "B"]}, "s", allowed=("A", "B")) == ["A", "B"]
    assert string_list({}, "s", allowed=("A",)) == []
    for body in ({"s": "A"}, {"s": ["C"]}, {"s": ["A", "A", "A"]}):
        with pytest.raises(OzonError):
            string_list(body, "s", allowed=("A",), most=2)

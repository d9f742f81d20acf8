"""The product list's query parameters: defaults, switches that may be null, and a bounded search."""

import pytest

from catalog.serializers import MAX_SEARCH_WORDS, ProductListParamsSerializer


def read(**params):
    serializer = ProductListParamsSerializer(data=params)
    return serializer.is_valid(), (serializer.validated_data if serializer.is_valid() else serializer.errors)


def test_absent_parameters_mean_page_1_of_50_and_no_filter():
    assert read() == (True, {"page": 1, "per_page": 50, "active": None, "has_stock": None, "search": ""})


def test_switches_read_booleans_and_null():
    ok, values = read(active="true", has_stock="null")

    assert ok and (values["active"], values["has_stock"]) == (True, None)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": "501"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"active": "maybe"}, "active"),
        ({"search": "x" * 201}, "search"),
        ({"search": " ".join(["w"] * (MAX_SEARCH_WORDS + 1))}, "search"),
    ],
)
def test_a_bad_parameter_is_named(params, field):
    ok, errors = read(**params)

    assert not ok and set(errors) == {field}


def test_the_most_search_words_are_accepted():
    assert read(search=" ".join(["w"] * MAX_SEARCH_WORDS))[0]

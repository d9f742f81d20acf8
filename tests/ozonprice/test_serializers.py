"""The core's strict fields: http(s) URLs only, JSON strings and booleans only, unknown fields named."""

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from ozonprice.serializers import HttpUrlField, StrictBooleanField, StrictCharField, StrictRequestSerializer


def test_a_url_must_be_http_or_https():
    field = HttpUrlField()

    assert field.run_validation("https://front.example/api") == "https://front.example/api"
    for bad in ("ftp://front.example/", "front.example", "javascript:alert(1)"):
        with pytest.raises(ValidationError):
            field.run_validation(bad)


def test_a_string_field_refuses_numbers_and_a_boolean_field_refuses_anything_but_true_or_false():
    assert StrictCharField().run_validation("x") == "x"
    with pytest.raises(ValidationError):
        StrictCharField().run_validation(5)

    assert StrictBooleanField().run_validation(False) is False
    for bad in (0, 1, "true", "yes"):
        with pytest.raises(ValidationError):
            StrictBooleanField().run_validation(bad)


class Example(StrictRequestSerializer):
    name = serializers.CharField()


def test_unknown_fields_are_named_in_the_400():
    serializer = Example(data={"name": "x", "nmae": "typo", "extra": 1})

    assert not serializer.is_valid()
    assert set(serializer.errors) == {"nmae", "extra"}
    assert Example(data={"name": "x"}).is_valid()

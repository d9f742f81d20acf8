"""The demo vocabulary: every kind of goods can build a name and has a sane price and weight band."""

import pytest

from ozonprice.sandbox.names import COLOURS, KINDS


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.phrases[0])
def test_each_kind_builds_names_and_has_ordered_positive_bands(kind):
    assert kind.phrases and kind.brands and kind.specs
    assert 0 < kind.price_min < kind.price_max
    assert 0 < kind.weight_min < kind.weight_max
    assert kind.description_category_id > 0 and kind.type_id > 0


def test_kinds_and_colours_are_distinct():
    assert len({k.phrases for k in KINDS}) == len(KINDS)
    assert len(set(COLOURS)) == len(COLOURS)
    assert any(not k.coloured for k in KINDS) and any(k.coloured for k in KINDS)

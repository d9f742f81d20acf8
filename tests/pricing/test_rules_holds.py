"""`rules.holds`: the one answer to "does Ozon already hold these prices?" (maintain, preview, reconcile, verify)."""

from decimal import Decimal as D

import pytest

from pricing.rules import holds


def test_same_price_and_old_price_is_held():
    assert holds(price=D("100.00"), old_price=D("150"), target_price=D("100.00"), target_old_price=D("150"))


@pytest.mark.parametrize("old_price", [None, D("0"), D("0.00")])
def test_no_old_price_in_any_spelling_is_held_against_zero(old_price):
    assert holds(price=D("100"), old_price=old_price, target_price=D("100"), target_old_price=D("0"))


@pytest.mark.parametrize(
    ("price", "old_price"),
    [(D("100.01"), D("150")), (D("100"), D("151")), (None, D("150")), (D("100"), None)],
)
def test_another_price_or_old_price_is_not_held(price, old_price):
    assert not holds(price=price, old_price=old_price, target_price=D("100"), target_old_price=D("150"))


def test_min_price_counts_only_when_a_target_min_price_is_given():
    same = {"price": D("100"), "old_price": D("150"), "target_price": D("100"), "target_old_price": D("150")}
    assert holds(**same, min_price=D("90"))  # the read-back: price and old price only
    assert holds(**same, min_price=D("100"), target_min_price=D("100"))
    assert not holds(**same, min_price=D("90"), target_min_price=D("100"))
    assert not holds(**same, min_price=None, target_min_price=D("100"))


def test_keyword_only():
    with pytest.raises(TypeError):
        holds(D("100"), D("150"), D("100"), D("150"))  # type: ignore[misc]

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.rules import (
    DiscountError,
    Refusal,
    Targets,
    can_activate,
    discount_passes,
    is_quarantine_change,
    largest_valid_discount,
    old_price_for,
    smallest_valid_discount,
    targets_for,
)

D = Decimal
mrpcs = st.decimals(min_value=D("1.00"), max_value=D("1000000"), places=2, allow_nan=False, allow_infinity=False)
discounts = st.decimals(min_value=D("0"), max_value=D("89.99"), places=2, allow_nan=False, allow_infinity=False)


def ozon_accepts_under_both_readings(price: Decimal, old_price: Decimal) -> bool:
    """Ozon's rules as its two sources word them, the stricter at every edge (an independent oracle)."""
    if old_price == 0:
        return True
    gap = old_price - price
    if gap >= D("0.9") * old_price:
        return False
    low = gap > 20  # price ≤ 400 (Errors tag) or < 400 (April table)
    mid = gap > D("0.05") * old_price  # 400 ≤ price ≤ 10 000 (both readings of the edge)
    top = gap > 500
    if price < 400:
        return low
    if price == 400:
        return low and mid
    if price < 10000:
        return mid
    if price == 10000:
        return mid and top
    return top


@given(mrpc=mrpcs, discount=discounts)
def test_every_target_the_engine_would_send_passes_ozons_gap_rules(mrpc, discount):
    try:
        targets = targets_for(mrpc, discount)
    except DiscountError:
        return
    assert ozon_accepts_under_both_readings(targets.price, targets.old_price)
    assert targets.price == targets.min_price == mrpc
    for value in (targets.price, targets.old_price, targets.min_price):
        assert isinstance(value, Decimal)


@given(mrpc=mrpcs, discount=discounts)
def test_a_refused_discount_names_a_smallest_discount_that_works(mrpc, discount):
    try:
        targets_for(mrpc, discount)
    except DiscountError as error:
        if error.smallest is None:
            assert not any(discount_passes(mrpc, D(d)) for d in range(1, 90))
            return
        assert not error.smallest <= discount <= error.largest
        for edge in (error.smallest, error.largest):
            targets = targets_for(mrpc, edge)
            assert ozon_accepts_under_both_readings(targets.price, targets.old_price)
        assert not discount_passes(mrpc, error.smallest - D("0.01")) or error.smallest == D("0.01")
        assert not discount_passes(mrpc, error.largest + D("0.01"))


@given(mrpc=mrpcs)
def test_no_discount_sends_zero_as_the_old_price(mrpc):
    targets = targets_for(mrpc, D("0"))
    assert targets.as_ozon()["old_price"] == "0"
    assert targets.shown_discount() == 0


@given(mrpc=mrpcs, discount=discounts)
def test_prices_go_to_ozon_as_strings_with_two_decimals(mrpc, discount):
    try:
        sent = targets_for(mrpc, discount).as_ozon()
    except DiscountError:
        return
    for key in ("price", "min_price"):
        assert D(sent[key]) == getattr(targets_for(mrpc, discount), key)
        assert sent[key].split(".")[1].__len__() == 2


def test_old_price_is_mrpc_over_one_minus_discount_rounded_to_roubles():
    assert old_price_for(D("1000"), D("20")) == D("1250")
    assert old_price_for(D("999"), D("15")) == D("1175")  # 1175.29… → 1175
    assert old_price_for(D("1000"), D("0")) == D("0")


def test_the_shown_discount_is_what_buyers_see():
    assert Targets(D("1000"), D("1250"), D("1000")).shown_discount() == D("20")


@pytest.mark.parametrize(
    ("mrpc", "discount"),
    [(D("100"), D("10")), (D("400"), D("5")), (D("5000"), D("4")), (D("20000"), D("2"))],
)
def test_a_discount_too_small_for_the_price_tier_is_refused(mrpc, discount):
    with pytest.raises(DiscountError) as caught:
        targets_for(mrpc, discount)
    assert caught.value.smallest is not None and caught.value.smallest > discount


def test_a_discount_too_big_names_the_largest_that_works():
    with pytest.raises(DiscountError, match="too big") as caught:
        targets_for(D("100"), D("89.9"))
    assert caught.value.largest == largest_valid_discount(D("100")) < D("89.9")


def test_a_price_too_low_for_any_discount_has_no_smallest_discount():
    assert smallest_valid_discount(D("1")) is None
    with pytest.raises(DiscountError) as caught:
        targets_for(D("1"), D("50"))
    assert caught.value.smallest is None


@pytest.mark.parametrize("discount", [D("-1"), D("90"), D("95")])
def test_a_discount_outside_zero_to_ninety_is_refused(discount):
    with pytest.raises(DiscountError):
        targets_for(D("1000"), discount)


@pytest.mark.parametrize(
    ("available", "mrpc", "front", "reason"),
    [
        (False, D("100"), D("100"), Refusal.NOT_AVAILABLE),
        (True, None, D("100"), Refusal.NO_MRPC),
        (True, D("0"), D("100"), Refusal.NO_MRPC),
        (True, D("100"), None, Refusal.NO_SHOWCASE_PRICE),
        (True, D("100"), D("0"), Refusal.NO_SHOWCASE_PRICE),
        (True, D("100"), D("90"), None),
    ],
)
def test_activation_needs_stock_mrpc_and_a_showcase_price(available, mrpc, front, reason):
    assert can_activate(available=available, mrpc=mrpc, front_price=front) is reason


@pytest.mark.parametrize(
    ("current", "new", "quarantine"),
    [
        (D("1000"), D("1499"), False),
        (D("1000"), D("1500"), True),
        (D("1000"), D("400"), True),
        (D("1000"), D("501"), False),
        (None, D("100"), False),
    ],
)
def test_a_change_of_half_the_price_or_more_is_a_quarantine_change(current, new, quarantine):
    assert is_quarantine_change(current, new) is quarantine

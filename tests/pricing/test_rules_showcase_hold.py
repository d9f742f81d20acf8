"""The showcase-hold rule against a simulated Ozon: convergence, bounds and Ozon's gap rules."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pricing.rules import (
    DiscountError,
    HoldStep,
    showcase_hold_cap,
    showcase_hold_price,
    showcase_hold_targets,
    targets_for,
)
from tests.pricing.test_rules import discounts, ozon_accepts_under_both_readings

D = Decimal
mrpcs = st.decimals(min_value=D("100.00"), max_value=D("500000"), places=2, allow_nan=False, allow_infinity=False)
whole_mrpcs = st.integers(min_value=100, max_value=500000).map(D)
thresholds = st.decimals(min_value=D("0"), max_value=D("5"), places=2)
uplifts = st.decimals(min_value=D("0"), max_value=D("50"), places=2)
percents = st.decimals(min_value=D("0.01"), max_value=D("60"), places=2)
roundings = st.sampled_from(["exact", "floor", "half_up"])
# Enough rounds for any damped loop to show itself.
ROUNDS = 12


def showcase_of(price: Decimal, *, percent=None, fixed=None, rounding="exact") -> Decimal:
    """What Ozon's storefront shows: a percentage or a fixed sum off the seller price, rounded as Ozon may."""
    value = price * (1 - percent / 100) if percent is not None else price - fixed
    if rounding == "floor":
        return value.quantize(D("1"), ROUND_FLOOR)
    if rounding == "half_up":
        return value.quantize(D("1"), ROUND_HALF_UP)
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def run(mrpc, *, start, threshold, uplift, rounds=ROUNDS, own=True, **discount):
    """Iterate the rule against a steady discount; returns (prices set, last price, last showcase).

    `own`: whether `start` is a price the hold set; every price it sets after is its own.
    """
    price, moves = start, []
    for _ in range(rounds):
        seen = showcase_of(price, **discount) if discount else price
        decision = showcase_hold_price(
            mrpc=mrpc, price=price, showcase=seen, threshold=threshold, max_uplift=uplift, own=own or bool(moves)
        )
        assert decision.step != HoldStep.WAIT
        assert (decision.step == HoldStep.KEEP) == (decision.price == price)
        if decision.price != price:
            moves.append((decision.step, decision.price))
            price = decision.price
    seen = showcase_of(price, **discount) if discount else price
    return moves, price, seen


@given(mrpc=mrpcs, percent=percents, rounding=roundings, threshold=thresholds, uplift=uplifts)
def test_a_steady_percentage_discount_costs_one_raise_and_one_step_down_when_it_ends(
    mrpc, percent, rounding, threshold, uplift
):
    moves, price, seen = run(mrpc, start=mrpc, threshold=threshold, uplift=uplift, percent=percent, rounding=rounding)
    assert len(moves) <= 1
    assert all(step == HoldStep.RAISE for step, _ in moves)
    cap = showcase_hold_cap(mrpc, uplift)
    assert seen >= mrpc or price == cap  # under MRPC only when the discount is more than the uplift allows
    after, final, _ = run(mrpc, start=price, threshold=threshold, uplift=uplift)  # the discount ended
    assert len(after) <= 1
    assert after == [] or after == [(HoldStep.STEP_DOWN, final)]
    # Back at MRPC, or within the band the deviation threshold allows.
    assert final == mrpc or final <= max(mrpc * (1 + threshold / 100), mrpc + 3)


@given(
    mrpc=mrpcs,
    fixed=st.integers(min_value=1, max_value=60000).map(D),
    rounding=roundings,
    threshold=thresholds,
    uplift=uplifts,
)
def test_a_steady_fixed_discount_settles_after_at_most_one_correction(mrpc, fixed, rounding, threshold, uplift):
    assume(fixed < mrpc / 2)
    moves, price, seen = run(mrpc, start=mrpc, threshold=threshold, uplift=uplift, fixed=fixed, rounding=rounding)
    # A raise, and perhaps one step down when the ratio over-corrected a big fixed sum; never a raise after it.
    assert len(moves) <= 2
    assert moves[:1] == [] or moves[0][0] == HoldStep.RAISE
    assert all(step == HoldStep.STEP_DOWN for step, _ in moves[1:])
    assert seen >= mrpc or price == showcase_hold_cap(mrpc, uplift)
    after, final, _ = run(mrpc, start=price, threshold=threshold, uplift=uplift)
    assert len(after) <= 1


@given(
    mrpc=mrpcs,
    fixed=st.integers(min_value=1, max_value=60000).map(D),
    rounding=roundings,
    threshold=thresholds,
    uplift=uplifts,
)
def test_a_small_fixed_discount_costs_one_raise_only(mrpc, fixed, rounding, threshold, uplift):
    assume(fixed < mrpc / 2)
    # Small against MRPC: the ratio's over-correction D² / (MRPC − D) stays inside the band.
    assume(fixed * fixed / (mrpc - fixed) + 3 <= mrpc * threshold / 100)
    moves, _, _ = run(mrpc, start=mrpc, threshold=threshold, uplift=uplift, fixed=fixed, rounding=rounding)
    assert len(moves) <= 1


@given(
    mrpc=mrpcs,
    price=st.decimals(min_value=D("1"), max_value=D("2000000"), places=2),
    showcase=st.one_of(st.none(), st.decimals(min_value=D("1"), max_value=D("2000000"), places=2)),
    threshold=thresholds,
    uplift=st.decimals(min_value=D("0"), max_value=D("100"), places=2),
)
def test_the_hold_price_stays_between_mrpc_and_the_max_uplift(mrpc, price, showcase, threshold, uplift):
    decision = showcase_hold_price(mrpc=mrpc, price=price, showcase=showcase, threshold=threshold, max_uplift=uplift)
    assert mrpc <= decision.price <= mrpc * (1 + uplift / 100)
    assert decision.cap == showcase_hold_cap(mrpc, uplift)


@given(mrpc=mrpcs, percent=percents, discount=discounts, uplift=uplifts)
def test_the_hold_targets_pass_ozons_gap_rules_and_keep_the_floor_at_mrpc(mrpc, percent, discount, uplift):
    try:
        targets_for(mrpc, discount)
    except DiscountError:
        return
    decision = showcase_hold_price(
        mrpc=mrpc, price=mrpc, showcase=showcase_of(mrpc, percent=percent), threshold=D("1"), max_uplift=uplift
    )
    try:
        targets = showcase_hold_targets(mrpc=mrpc, discount=discount, price=decision.price)
    except DiscountError:
        return
    assert targets.price == decision.price
    assert targets.min_price == mrpc
    assert ozon_accepts_under_both_readings(targets.price, targets.old_price)


def test_the_raise_is_price_times_mrpc_over_showcase_rounded_up():
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1000"), showcase=D("900"), threshold=D("1"), max_uplift=D("15")
    )
    assert decision == (decision.__class__(D("1112"), HoldStep.RAISE, D("1150.00")))
    assert showcase_of(decision.price, percent=D("10")) >= 1000


def test_the_raise_stops_at_the_max_uplift():
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1000"), showcase=D("700"), threshold=D("1"), max_uplift=D("15")
    )
    assert (decision.price, decision.step) == (D("1150.00"), HoldStep.RAISE)


def test_when_the_discount_ends_the_price_steps_back_to_mrpc():
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1112"), showcase=D("1112"), threshold=D("1"), max_uplift=D("15")
    )
    assert (decision.price, decision.step) == (D("1000.00"), HoldStep.STEP_DOWN)


def test_a_showcase_within_the_band_keeps_the_raised_price():
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1112"), showcase=D("1001"), threshold=D("1"), max_uplift=D("15")
    )
    assert (decision.price, decision.step) == (D("1112"), HoldStep.KEEP)


def test_without_an_observation_the_hold_keeps_the_price_within_its_bounds():
    keep = showcase_hold_price(mrpc=D("1000"), price=D("1112"), showcase=None, threshold=D("1"), max_uplift=D("15"))
    assert (keep.price, keep.step) == (D("1112"), HoldStep.WAIT)
    lowered = showcase_hold_price(mrpc=D("1000"), price=D("1112"), showcase=None, threshold=D("1"), max_uplift=D("5"))
    assert lowered.price == D("1050.00")


@pytest.mark.parametrize(("price", "discount"), [(D("1112"), D("20")), (D("395"), D("5.3"))])
def test_old_price_is_recomputed_from_the_discount_on_the_new_price(price, discount):
    targets = showcase_hold_targets(mrpc=D("380"), discount=discount, price=price)
    assert targets.min_price == D("380.00")
    assert ozon_accepts_under_both_readings(targets.price, targets.old_price)


def test_a_big_fixed_discount_is_over_corrected_once_then_stepped_down_once():
    moves, price, seen = run(D("1000"), start=D("1000"), threshold=D("1"), uplift=D("15"), fixed=D("120"))
    assert moves == [(HoldStep.RAISE, D("1137")), (HoldStep.STEP_DOWN, D("1121"))]
    assert (price, seen) == (D("1121"), D("1001.00"))


def test_a_shrinking_discount_steps_down_without_going_under_mrpc():
    # 10 % off at 1112 showed 1000.80; now Ozon takes 5 %: 1056.40.
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1112"), showcase=D("1056.40"), threshold=D("1"), max_uplift=D("15")
    )
    assert decision.step == HoldStep.STEP_DOWN
    assert showcase_of(decision.price, percent=D("5")) >= 1000


@given(
    mrpc=mrpcs,
    share=st.decimals(min_value=D("0"), max_value=D("1"), places=3),
    percent=percents,
    rounding=roundings,
    threshold=thresholds,
    uplift=uplifts,
)
def test_from_a_price_the_hold_did_not_set_it_only_moves_one_way_and_keeps_the_showcase_at_mrpc(
    mrpc, share, percent, rounding, threshold, uplift
):
    start = mrpc + (showcase_hold_cap(mrpc, uplift) - mrpc) * share
    moves, price, seen = run(
        mrpc,
        start=start.quantize(D("0.01")),
        threshold=threshold,
        uplift=uplift,
        own=False,
        rounding=rounding,
        percent=percent,
    )
    # A step down cannot tell a percentage from a fixed sum, so it steps as far as both allow: a
    # percentage's excess shrinks by its own factor each step (a few steps at most), never back up.
    steps = [step for step, _ in moves]
    assert steps in ([HoldStep.RAISE], []) or set(steps) == {HoldStep.STEP_DOWN}
    assert len(moves) <= 6
    prices = [start, *(p for _, p in moves)]
    assert prices == sorted(prices, reverse=steps[:1] != [HoldStep.RAISE])
    assert seen >= mrpc or price == showcase_hold_cap(mrpc, uplift)


def test_without_an_observation_a_price_the_hold_did_not_set_goes_back_to_mrpc():
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1040"), showcase=None, threshold=D("1"), max_uplift=D("15"), own=False
    )
    assert (decision.price, decision.step) == (D("1000.00"), HoldStep.WAIT)


def test_a_price_the_hold_did_not_set_goes_down_as_far_as_the_showcase_allows():
    # 1040 shows 1005 (Ozon takes 35): within the band, but not the hold's price, so down to ⌈1000.5 + 35⌉.
    decision = showcase_hold_price(
        mrpc=D("1000"), price=D("1040"), showcase=D("1005"), threshold=D("1"), max_uplift=D("15"), own=False
    )
    assert (decision.price, decision.step) == (D("1036"), HoldStep.STEP_DOWN)

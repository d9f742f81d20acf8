"""Deterministic demo promotions: what `make run` shows and the issue's e2e scenario.

`seed_promotions(sandbox)` draws, per active product and as a pure function of
the catalogue seed and the product's index (like the catalogue itself):

* about `in_actions` (40 %) of products in promotions, 8–25 % under their
  price: most in one of Ozon's actions (70 % of them added automatically, some
  in two), the rest in one of the seller's own actions; a seller action that
  has ENDED keeps a few products but no longer counts;
* `unremovable` of the action members marked as not removable (deactivation
  rejects them, so a guard has refusals to report);
* about `marketplace_discount` (10 %) of products with an Ozon co-funded
  discount of 3–12 %;
* about `requests` (5 %) of products with a NEW buyer discount request,
  3–30 % under the price (some mild, most deep);
* `min_price_for_auto_actions_enabled` on for 3 in 4 products with a
  min_price, and their min-price timers running for 1–20 days, except about
  `lapsed_timers` (25 %) whose timers have lapsed.

`guard_scenario()` is the issue's proof set-up: 3,000 SKUs, the same shares,
no unremovable members (the proof expects every breach to be removable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.products import _mix

if TYPE_CHECKING:
    from ozonprice.sandbox.server import OzonSandbox

DAY_S = 86_400.0
# `_mix` salts of the draws here (the catalogue uses 0–2, the storefront 11).
_IN, _WHERE, _AUTO, _SECOND, _KEEP, _DISCOUNT, _REQUEST, _DEPTH, _TIMER = range(21, 30)
_SCALE = 10_000

OZON_ACTIONS = (
    ("Ozon: Чёрная пятница", 20),
    ("Ozon: Товары дня", 12),
    ("Ozon: Скидки недели", 8),
    ("Ozon: Распродажа сезона", 25),
)
SELLER_ACTIONS = (("Скидка продавца: осень", 10, "ACTIVE"), ("Скидка продавца: ночь", 18, "ACTIVE"))
ENDED_SELLER_ACTION = ("Скидка продавца: лето", 30, "ENDED")


@dataclass
class PromotionSeeding:
    """What `seed_promotions` set up, by product_id: for tests and for the demo's own check."""

    action_ids: list[int] = field(default_factory=list)
    seller_action_ids: list[int] = field(default_factory=list)
    ended_seller_action_id: int = 0
    in_actions: dict[int, list[int]] = field(default_factory=dict)
    in_seller_actions: dict[int, list[int]] = field(default_factory=dict)
    unremovable: list[tuple[int, int]] = field(default_factory=list)  # (product_id, action_id)
    marketplace_discounts: dict[int, Decimal] = field(default_factory=dict)
    discount_requests: dict[int, int] = field(default_factory=dict)  # task id → product_id
    lapsed_timers: list[int] = field(default_factory=list)

    @property
    def in_promotions(self) -> set[int]:
        """Products in a running promotion (Ozon's or the seller's)."""
        return set(self.in_actions) | set(self.in_seller_actions)


def _share(name: str, value: float) -> int:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1")
    return round(value * _SCALE)


def seed_promotions(
    sandbox: OzonSandbox,
    *,
    in_actions: float = 0.4,
    marketplace_discount: float = 0.1,
    requests: float = 0.05,
    unremovable: float = 0.03,
    lapsed_timers: float = 0.25,
) -> PromotionSeeding:
    """Seed the demo promotions on every active product (see the module doc); call once."""
    shares = {
        name: _share(name, value)
        for name, value in (
            ("in_actions", in_actions),
            ("marketplace_discount", marketplace_discount),
            ("requests", requests),
            ("unremovable", unremovable),
            ("lapsed_timers", lapsed_timers),
        )
    }
    seed, catalog = sandbox.catalog.seed, sandbox.catalog
    done = PromotionSeeding()
    # Every product on sale could join Ozon's actions: `total` of /v1/actions/products is that, not the members.
    available = len(catalog.active_indices())
    done.action_ids = [sandbox.add_action(title, percent, potential=available) for title, percent in OZON_ACTIONS]
    done.seller_action_ids = [sandbox.add_seller_action(t, p, status=s) for t, p, s in SELLER_ACTIONS]
    title, percent, status = ENDED_SELLER_ACTION
    done.ended_seller_action_id = sandbox.add_seller_action(title, percent, status=status, starts_in_days=-60)
    promotions = sandbox.promotions

    def draw(i: int, salt: int, modulo: int = _SCALE) -> int:
        return _mix(seed, i, salt) % modulo

    for i in catalog.active_indices():
        product = catalog.product(i)
        if product is None:
            continue
        pid = product.product_id
        if draw(i, _IN) < shares["in_actions"]:
            where = draw(i, _WHERE, 100)
            if where < 80:
                chosen = [done.action_ids[where % len(done.action_ids)]]
                if draw(i, _SECOND, 100) < 15:
                    chosen.append(done.action_ids[(where + 1) % len(done.action_ids)])
                for action_id in chosen:
                    removable = draw(i, _KEEP + action_id) >= shares["unremovable"]
                    promotions.put_in(i, action_id, auto=draw(i, _AUTO, 10) < 7, removable=removable)
                    if not removable:
                        done.unremovable.append((pid, action_id))
                done.in_actions[pid] = chosen
            else:
                action_id = done.seller_action_ids[where % len(done.seller_action_ids)]
                promotions.put_in_seller_action(i, action_id)
                done.in_seller_actions[pid] = [action_id]
                if where % 5 == 0:  # the ended action keeps a few products; they no longer count
                    promotions.put_in_seller_action(i, done.ended_seller_action_id)
        if draw(i, _DISCOUNT) < shares["marketplace_discount"]:
            discount = Decimal(3 + draw(i, _DISCOUNT + 100, 10))
            sandbox.storefront.set_discount(i, discount)
            done.marketplace_discounts[pid] = discount
        if draw(i, _REQUEST) < shares["requests"]:
            depth = 3 + draw(i, _DEPTH, 28)  # 3–30 % under the price
            requested = (product.price * (100 - depth) / 100).quantize(Decimal(1), ROUND_HALF_UP)
            task_id = sandbox.add_discount_request(pid, max(requested, Decimal(1)), quantity=1 + draw(i, _DEPTH, 3))
            done.discount_requests[task_id] = pid
        if product.min_price > 0 and draw(i, _TIMER, 4):
            sandbox.set_min_price_for_auto_actions(pid, True)
            if draw(i, _TIMER + 100) >= shares["lapsed_timers"]:
                promotions.renew_timers([i], seconds=(1 + draw(i, _TIMER + 200, 20)) * DAY_S)
            else:
                done.lapsed_timers.append(pid)
    sandbox.promotion_seeding = done
    return done


def guard_scenario(products: int = 3000, seed: int = 1, **options: Any) -> dict[str, Any]:
    """`OzonSandbox` / `make_sandbox` options for the issue's proof: 3,000 SKUs seeded with
    promotions (no unremovable members: every breach can be removed). After start,
    `sandbox.promotion_seeding` tells what was seeded."""
    return {"products": products, "seed": seed, "promotions": {"unremovable": 0.0}, **options}

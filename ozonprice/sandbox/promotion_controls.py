"""Test controls of the sandbox's promotions, min-price timers and discount requests.

A mixin of `OzonSandbox` (server.py keeps the HTTP plumbing): products are
named by product_id, as tests know them. See `promotions.py` for how action
prices and the timer are modelled and `discounts.py` for discount requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.discounts import DiscountTask
from ozonprice.sandbox.products import rub
from ozonprice.sandbox.promotions import discounted

if TYPE_CHECKING:
    from ozonprice.sandbox.catalog import Catalog, DemoProduct
    from ozonprice.sandbox.demo_promotions import PromotionSeeding
    from ozonprice.sandbox.discounts import DiscountDesk
    from ozonprice.sandbox.prices_api import PriceDesk
    from ozonprice.sandbox.promotions import Promotions

MIN_PRICE_FLAG = "min_price_for_auto_actions_enabled"


class PromotionControls:
    catalog: Catalog
    price_desk: PriceDesk
    promotions: Promotions
    discounts: DiscountDesk

    def _index(self, product_id: int | str) -> int:
        raise NotImplementedError

    def _product(self, product_id: int | str) -> DemoProduct:
        product = self.catalog.by_product_id(product_id)
        if product is None:
            raise KeyError(f"no product {product_id} in the sandbox")
        return product

    # --- Ozon's actions -------------------------------------------------------------
    def add_action(
        self,
        title: str = "Ozon: распродажа",
        discount_percent: float | Decimal = 15,
        *,
        days: float = 30,
        starts_in_days: float = -1,
        action_type: str = "DISCOUNT",
        frozen: bool = False,
        potential: int = 0,
    ) -> int:
        """A new Ozon action (running from `starts_in_days` for `days`); returns its id."""
        return self.promotions.add_action(
            title,
            discount_percent,
            days=days,
            starts_in_days=starts_in_days,
            action_type=action_type,
            frozen=frozen,
            potential=potential,
        )

    def put_in_action(
        self, product_id: int | str, action_id: int, auto: bool = True, *, removable: bool = True
    ) -> None:
        """Put a product in an Ozon action: by Ozon (`auto`, add_mode AUTO) or by the seller (MANUAL).
        `removable=False`: deactivation rejects it."""
        self.promotions.put_in(self._index(product_id), action_id, auto=auto, removable=removable)

    def take_out_of_action(self, product_id: int | str, action_id: int) -> bool:
        return self.promotions.take_out(self._index(product_id), action_id)

    def auto_add(self, action_id: int, product_ids: Iterable[int | str]) -> list[int]:
        """Ozon's automatic adding: only products with `auto_add_to_ozon_actions_list_enabled` join
        (sending DISABLED stops new additions; it takes nobody out). Returns those added."""
        added = []
        for product_id in product_ids:
            product = self._product(product_id)
            if product.auto_add_to_ozon_actions_list_enabled:
                self.promotions.put_in(product.index, action_id, auto=True)
                added.append(product.product_id)
        return added

    def actions_of(self, product_id: int | str) -> list[int]:
        """The Ozon actions the product is in."""
        return self.promotions.actions_of(self._index(product_id))

    def action_price(self, product_id: int | str, action_id: int) -> Decimal:
        """The product's action price in an Ozon action, from the price Ozon holds now."""
        product = self._product(product_id)
        action = self.promotions.action(action_id)
        return self.promotions.ozon_action_price(action, product.index, product, product.price)

    def freeze_action(self, action_id: int, frozen: bool = True) -> None:
        """A frozen action (Ozon's `freeze_date`) refuses every deactivation."""
        self.promotions.action(action_id).frozen = frozen

    def end_action(self, action_id: int) -> None:
        """The action ends now: it leaves `/v1/actions` and the storefront."""
        action = self.promotions.action(action_id)
        action.ends = min(action.ends, self.promotions.wall.clock())

    # --- the seller's actions ------------------------------------------------------------
    def add_seller_action(
        self,
        title: str = "Скидка продавца",
        discount_percent: float | Decimal = 10,
        *,
        days: float = 14,
        starts_in_days: float = -1,
        status: str = "ACTIVE",
        action_type: str = "DISCOUNT",
    ) -> int:
        """A new seller's own action; returns its id."""
        return self.promotions.add_seller_action(
            title, discount_percent, days=days, starts_in_days=starts_in_days, status=status, action_type=action_type
        )

    def put_in_seller_action(self, product_id: int | str, action_id: int) -> None:
        self.promotions.put_in_seller_action(self._index(product_id), action_id)

    def seller_actions_of(self, product_id: int | str) -> list[int]:
        return self.promotions.seller_actions_of(self._index(product_id))

    def seller_action_price(self, product_id: int | str, action_id: int) -> Decimal:
        """The product's price in the seller's action, from the price Ozon holds now."""
        product = self._product(product_id)
        return discounted(product.price, self.promotions.seller_action(action_id).discount_percent)

    def promotion_running(self, kind: str, action_id: int) -> bool:
        """Whether an Ozon (`kind="ozon"`) or seller action runs now, so its price reaches the storefront."""
        if kind == "ozon":
            return self.promotions.running(self.promotions.action(action_id))
        return self.promotions.seller_action(action_id).running

    # --- the min-price timer ----------------------------------------------------------------
    def expire_timer(self, product_id: int | str) -> None:
        """The product's min-price timer lapses now."""
        self.promotions.expire_timer(self._index(product_id))

    def renew_timer(self, product_id: int | str, days: float | None = None) -> None:
        """As `/v1/product/action/timer/update` does (default `min_price_timer_days`)."""
        self.promotions.renew_timers([self._index(product_id)], seconds=None if days is None else days * 86_400)

    def timer_running(self, product_id: int | str) -> bool:
        return self.promotions.timer_running(self._index(product_id))

    def set_min_price_for_auto_actions(self, product_id: int | str, enabled: bool) -> None:
        """As if a price import had sent `min_price_for_auto_actions_enabled`."""
        self.price_desk.set_flag(self._index(product_id), MIN_PRICE_FLAG, enabled)

    # --- buyer discount requests ---------------------------------------------------------------
    def add_discount_request(
        self, product_id: int | str, requested_price: Any, *, quantity: int = 1, valid_days: float = 3
    ) -> int:
        """A NEW buyer request for the product at `requested_price`; returns its id."""
        product = self._product(product_id)
        return self.discounts.add(
            index=product.index,
            sku=product.sku,
            name=product.name,
            requested_price=rub(requested_price),
            original_price=product.price,
            min_auto_price=product.min_price,
            quantity_max=quantity,
            valid_days=valid_days,
        )

    def discount_request(self, task_id: int) -> DiscountTask:
        return self.discounts.task(task_id)

    # --- seeding ------------------------------------------------------------------------------------
    def seed_promotions(self, **options: Any) -> PromotionSeeding:
        """Deterministic demo promotions (see `demo_promotions.seed_promotions`)."""
        from ozonprice.sandbox.demo_promotions import seed_promotions

        return seed_promotions(self, **options)  # type: ignore[arg-type]

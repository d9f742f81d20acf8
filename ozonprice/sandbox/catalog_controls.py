"""The tests' and the demo's controls over the sandbox's catalogue: products as Ozon holds them.

A mixin of `OzonSandbox`; each control delegates to its `Catalog`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonprice.sandbox.catalog import Catalog, DemoProduct
    from ozonprice.sandbox.storefront import Storefront


class CatalogControls:
    catalog: Catalog
    storefront: Storefront

    def settle(self) -> None:
        raise NotImplementedError

    def product(self, product_id: int | str) -> DemoProduct | None:
        """The product as the sandbox currently holds it; None if absent or removed."""
        self.settle()
        return self.catalog.by_product_id(product_id)

    def update(self, product_id: int | str, /, **changes: Any) -> DemoProduct:
        return self.catalog.update(product_id, **changes)

    def set_price(self, product_id: int | str, /, **prices: Any) -> DemoProduct:
        """Change price / old_price / min_price / marketing_seller_price / net_price."""
        allowed = {"price", "old_price", "min_price", "marketing_seller_price", "net_price"}
        if set(prices) - allowed:
            raise ValueError(f"set_price takes {sorted(allowed)}")
        updated = self.catalog.update(product_id, **prices)
        if "price" in prices:  # set directly: the storefront's action prices follow at once
            self.storefront.forget(updated.index)
        return updated

    def set_stock(self, product_id: int | str, /, **stock: int) -> DemoProduct:
        """Change fbo_present / fbo_reserved / fbs_present / fbs_reserved."""
        allowed = {"fbo_present", "fbo_reserved", "fbs_present", "fbs_reserved"}
        if set(stock) - allowed:
            raise ValueError(f"set_stock takes {sorted(allowed)}")
        return self.catalog.update(product_id, **stock)

    def archive(self, product_ids: Iterable[int | str]) -> int:
        return self.catalog.archive(product_ids)

    def unarchive(self, product_ids: Iterable[int | str]) -> int:
        return self.catalog.unarchive(product_ids)

    def remove(self, product_ids: Iterable[int | str]) -> int:
        """Products deleted on Ozon: gone from the list, info, prices and stocks."""
        return self.catalog.remove(product_ids)

    def restore(self, product_ids: Iterable[int | str]) -> int:
        return self.catalog.restore(product_ids)

    def add_products(self, count: int) -> list[int]:
        return self.catalog.add_products(count)

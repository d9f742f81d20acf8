"""Pricing in the admin: the SKU list and page with every price action (`sku/`, registered for
`catalog.Sku`), price history and changes (read-only), the managers' background jobs, and the
storefront guard's records (read-only)."""

from pricing.admin.changes import PriceChangeAdmin, PriceHistoryAdmin
from pricing.admin.guard import DiscountRequestAdmin, PromoExitAdmin
from pricing.admin.jobs import AdminJobAdmin
from pricing.admin.sku import SkuAdmin

__all__ = [
    "AdminJobAdmin",
    "DiscountRequestAdmin",
    "PriceChangeAdmin",
    "PriceHistoryAdmin",
    "PromoExitAdmin",
    "SkuAdmin",
]

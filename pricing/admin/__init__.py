"""Pricing in the admin: price history and changes (read-only) and the managers' background jobs."""

from pricing.admin.changes import PriceChangeAdmin, PriceHistoryAdmin
from pricing.admin.jobs import AdminJobAdmin

__all__ = ["AdminJobAdmin", "PriceChangeAdmin", "PriceHistoryAdmin"]

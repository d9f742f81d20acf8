"""Price history and price changes: read-only logs, tuned for large tables."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ozonprice.admin_base import BoundedSearchMixin, ReadOnlyAdminMixin
from ozonprice.admin_switcher import AccountScopedAdminMixin
from pricing.admin.approvals import held_changes_approval
from pricing.models import PriceChange, PriceHistory
from pricing.selectors import price_changes_held


@admin.register(PriceHistory)
class PriceHistoryAdmin(AccountScopedAdminMixin, BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    account_path = "sku__account"
    list_display = (
        "timestamp",
        "sku",
        "price_before",
        "new_price",
        "new_old_price",
        "showcase_price",
        "mrpc",
        "reason",
        "actor",
    )
    list_filter = ("reason",)
    search_fields = ("sku__offer_id",)
    search_help_text = _("Article")
    list_select_related = ("sku",)
    list_per_page = 100
    show_full_result_count = False
    date_hierarchy = "timestamp"
    ordering = ("-timestamp", "-id")
    raw_id_fields = ("sku", "change")


@admin.register(PriceChange)
class PriceChangeAdmin(AccountScopedAdminMixin, BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    account_path = "sku__account"
    list_display = (
        "created_at",
        "sku",
        "status",
        "price_before",
        "expected_price",
        "expected_old_price",
        "observed_price",
        "observed_showcase",
        "reason",
        "error_message",
    )
    list_filter = ("status", "reason")
    search_fields = ("sku__offer_id",)
    search_help_text = _("Article")
    list_select_related = ("sku",)
    list_per_page = 100
    show_full_result_count = False
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    raw_id_fields = ("sku",)
    actions = ["approve"]

    def has_approve_permission(self, request) -> bool:
        # The log itself is read-only; releasing a held change is a pricing decision.
        return request.user.has_perm("catalog.change_sku")

    @admin.action(description=_("Approve quarantined changes…"), permissions=["approve"])
    def approve(self, request, queryset):
        held = price_changes_held(change_ids=queryset.values("pk"))
        return held_changes_approval(self, request, queryset, held=held, action="approve")

"""The SKU list: the managers' main screen, tuned for a catalogue of 100,000 rows."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalog.filters import BelowMrpcFilter, MissingFromOzonFilter, MrpcSetFilter, sku_search_q
from catalog.models import Sku
from imagepush.admin import ImagePushInline, push_images_to_ozon

# Written by the showcase fetch and price maintenance, never by hand.
SHOWCASE_FIELDS = ("front_price", "front_price_source", "front_price_timestamp", "update_timestamp")


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = (
        "offer_id",
        "name",
        "sku",
        "price",
        "old_price",
        "front_price",
        "mrpc",
        "discount",
        "available",
        "active",
        "archived",
        "synced_at",
    )
    list_display_links = ("offer_id", "name")
    list_filter = (
        "active",
        "available",
        MrpcSetFilter,
        BelowMrpcFilter,
        "archived",
        MissingFromOzonFilter,
    )
    search_fields = ("name", "offer_id")
    search_help_text = _("Name or article; a number also finds the Ozon SKU or product id.")
    list_select_related = False  # no relations on the list
    list_per_page = 50
    # COUNT(*) of the whole table on every page load is what makes a large
    # changelist slow; the filtered count is still shown.
    show_full_result_count = False
    ordering = ("-id",)
    readonly_fields = ("product_id", *Sku.SYNC_FIELDS, *SHOWCASE_FIELDS, "created_at")
    actions = [push_images_to_ozon]
    inlines = [ImagePushInline]
    fieldsets = (
        (_("Price maintenance"), {"fields": ("mrpc", "discount", "active")}),
        (_("Ozon product"), {"fields": ("product_id", "offer_id", "sku", "name", "product_url", "status")}),
        (
            _("Prices on Ozon"),
            {"fields": ("price", "old_price", "min_price", "marketing_price", "currency_code", *SHOWCASE_FIELDS)},
        ),
        (
            _("Stock and state"),
            {
                "fields": (
                    "available",
                    "stock_present",
                    "stock_reserved",
                    "archived",
                    "visible",
                    "missing_since",
                    "synced_at",
                    "created_at",
                )
            },
        ),
        (_("Images"), {"fields": ("primary_image", "color_image", "images"), "classes": ("collapse",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        # Not the default LIKE on every search field: a number must match the
        # integer id columns exactly (indexed), not as text.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(sku_search_q(search_term)), False

    def has_add_permission(self, request) -> bool:
        # Products come from Ozon by sync only.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Products are never deleted: one Ozon no longer returns is marked missing.
        return False

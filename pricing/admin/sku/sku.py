"""The SKU list and page: the managers' main screens, tuned for a catalogue of 100,000 rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.urls import path
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalog.filters import BelowMrpcFilter, MissingFromOzonFilter, MrpcSetFilter, ShowcaseHoldFilter, sku_search_q
from catalog.models import Sku
from imagepush.admin import ImagePushInline
from ozonprice.accounts import account_resolve
from ozonprice.admin_base import search_words_bound
from ozonprice.admin_switcher import AccountScopedAdminMixin
from ozonprice.models import Account, ShowcaseSource
from pricing.admin.sku import actions as sku_actions
from pricing.admin.sku import edits, transfer
from pricing.admin.sku.guard import GUARD_FILTERS, sku_guard_context
from pricing.admin.sku.image_push import push_images_to_ozon
from pricing.admin.sku.page import sku_page_context
from pricing.admin.sku.paginator import EstimatedCountPaginator

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def money(value) -> str:
    """Whole roubles without ",00", thousands grouped as the language groups them."""
    if value is None:
        return "—"
    places = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


# Written by the showcase fetch and price maintenance, never by hand.
SHOWCASE_FIELDS = ("front_price", "front_price_source_shown", "front_price_timestamp", "update_timestamp")
# Shown as labels and links rather than stored codes and a JSON list.
SHOWN_FIELDS = ("front_price_source_shown", "images_shown")


@admin.register(Sku)
class SkuAdmin(AccountScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "offer_id",
        "name",
        "price_shown",
        "old_price_shown",
        "front_price_shown",
        "mrpc_shown",
        "showcase_gap",
        "discount_shown",
        "available",
        "active_shown",
    )
    list_display_links = ("offer_id", "name")
    list_filter = (
        "active",
        "available",
        MrpcSetFilter,
        BelowMrpcFilter,
        ShowcaseHoldFilter,
        "archived",
        MissingFromOzonFilter,
        *GUARD_FILTERS,
    )
    search_fields = ("name", "offer_id")
    search_help_text = _("Name or article; a number also finds the Ozon SKU or product id.")
    list_select_related = False  # no relations on the list
    list_per_page = 50
    # COUNT(*) of the whole table on every page load is what makes a large
    # changelist slow; the filtered count is still shown.
    show_full_result_count = False
    # Per-filter counts would COUNT the whole table once per filter choice.
    show_facets = admin.ShowFacets.NEVER
    # Unfiltered, the count is estimated, not a COUNT(*) of the whole table.
    paginator = EstimatedCountPaginator
    ordering = ("-id",)
    readonly_fields = ("product_id", *Sku.SYNC_FIELDS, *SHOWCASE_FIELDS, *SHOWN_FIELDS, "created_at")
    actions = [
        sku_actions.activate,
        sku_actions.deactivate,
        edits.set_mrpc,
        edits.set_discount,
        sku_actions.update_prices,
        sku_actions.fetch_showcase_prices,
        sku_actions.guard_promotions,
        sku_actions.approve_quarantined,
        push_images_to_ozon,
    ]
    change_form_template = "admin/catalog/sku/change_form.html"
    change_list_template = "admin/catalog/sku/change_list.html"
    inlines = [ImagePushInline]
    fieldsets = (
        (_("Price maintenance"), {"fields": ("mrpc", "discount", "active", "showcase_hold")}),
        # What sync owns is one click away: the page opens on prices, the chart and the manager's fields.
        (
            _("Ozon product"),
            {"fields": ("product_id", "offer_id", "sku", "name", "product_url", "status"), "classes": ("collapse",)},
        ),
        (
            _("Prices on Ozon"),
            {
                "fields": (
                    "price",
                    "old_price",
                    "min_price",
                    "marketing_seller_price",
                    "currency_code",
                    *SHOWCASE_FIELDS,
                ),
                "classes": ("collapse",),
            },
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
                ),
                "classes": ("collapse",),
            },
        ),
        (_("Images"), {"fields": ("primary_image", "color_image", "images_shown"), "classes": ("collapse",)}),
    )

    @admin.display(description=_("showcase source"))
    def front_price_source_shown(self, obj: Sku) -> str | StrPromise:
        source = obj.front_price_source
        return ShowcaseSource(source).label if source in ShowcaseSource.values else (source or "—")

    @admin.display(description=_("images"))
    def images_shown(self, obj: Sku) -> str:
        # Links, not <img>: the admin loads nothing from Ozon's CDN (CSP img-src 'self'; no outside host).
        urls = [url for url in obj.images or [] if isinstance(url, str) and url.startswith(("https://", "http://"))]
        if not urls:
            return "—"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            ((url, f"{number}. {url.rsplit('/', 1)[-1]}") for number, url in enumerate(urls, 1)),
        )

    @admin.display(description=_("price"), ordering="price")
    def price_shown(self, obj: Sku) -> str:
        return money(obj.price)

    @admin.display(description=_("crossed-out"), ordering="old_price")
    def old_price_shown(self, obj: Sku) -> str:
        return money(obj.old_price) if obj.old_price else "—"

    @admin.display(description=_("showcase"), ordering="front_price")
    def front_price_shown(self, obj: Sku) -> str:
        return money(obj.front_price)

    @admin.display(description=_("MRPC"), ordering="mrpc")
    def mrpc_shown(self, obj: Sku) -> str:
        return money(obj.mrpc)

    @admin.display(description=_("discount, %"), ordering="discount")
    def discount_shown(self, obj: Sku) -> str:
        return money(obj.discount) if obj.discount else "—"

    @admin.display(description=_("maintained"), boolean=True, ordering="active")
    def active_shown(self, obj: Sku) -> bool:
        return obj.active

    @admin.display(description=_("showcase − MRPC"))
    def showcase_gap(self, obj: Sku):
        if obj.front_price is None or not obj.mrpc:
            return "—"
        gap = obj.front_price - obj.mrpc
        css = "gap-below" if gap < 0 else "gap-ok"
        text = f"{gap:+,.0f}".replace(",", "\u00a0").replace("-", "\u2212")
        return format_html('<span class="{}">{}</span>', css, text)

    def _account_shown(self, request) -> Account:
        """The account of the SKU on this page (its settings are the defaults the SKU follows)."""
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match is not None else None
        sku = self.get_object(request, object_id) if object_id else None
        return sku.account if sku is not None and sku.account_id is not None else account_resolve()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "showcase_hold" and field is not None:
            # Not Django's "Unknown / Yes / No": empty means "follow the account's setting", named with its value.
            account = self._account_shown(request)
            default = _("on") if account.showcase_hold else _("off")
            widget = forms.NullBooleanSelect()
            widget.choices = [
                ("unknown", _("Follow the account's setting (now %(state)s)") % {"state": default}),
                ("true", _("On")),
                ("false", _("Off")),
            ]
            field.widget = widget
        return field

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(transfer.ImportView.as_view(model_admin=self)),
                name="catalog_sku_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(transfer.ExportView.as_view(model_admin=self)),
                name="catalog_sku_export",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "can_import": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context=extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sku = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if sku is not None:
            extra.update(sku_page_context(sku))
            extra.update(sku_guard_context(sku))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_search_results(self, request, queryset, search_term):
        # Not the default LIKE on every search field: a number must match the
        # integer id columns exactly (indexed), not as text.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(sku_search_q(search_words_bound(request, search_term))), False

    def has_push_images_permission(self, request) -> bool:
        # The push action records an ImagePush, as the API does: the same permission for both.
        return request.user.has_perm("imagepush.add_imagepush")

    def has_add_permission(self, request) -> bool:
        # Products come from Ozon by sync only.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Products are never deleted: one Ozon no longer returns is marked missing.
        return False

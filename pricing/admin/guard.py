"""The storefront guard's records in the admin (read-only): promotion exits and buyer discount requests."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ozonprice.admin_base import ReadOnlyAdminMixin, search_words_bound
from ozonprice.admin_switcher import AccountScopedAdminMixin
from ozonprice.inputs import is_ascii_digits
from pricing.guard_selectors import promo_breaches_standing
from pricing.models import DiscountRequest, PromoExit

# Ozon's ids are 64-bit; a longer number cannot match and would overflow the database driver.
MAX_ID = 2**63 - 1


def _gap_html(gap):
    """MRPC − price: positive is how far under MRPC (red), otherwise at or above it."""
    if gap is None:
        return "—"
    text = formats.number_format(gap, 2, use_l10n=True, force_grouping=True)
    if gap > 0:
        return format_html('<span class="gap-below">−{}</span>', text)
    return format_html('<span class="gap-ok">{}</span>', text)


def _sku_html(sku_id, label):
    if sku_id is None:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:catalog_sku_change", args=[sku_id]), label)


def _words_q(search_term: str, text_fields: tuple[str, ...], id_fields: tuple[str, ...]) -> Q:
    """Every word must match a text field; a number also matches the id columns exactly (indexed, no LIKE)."""
    condition = Q()
    for word in search_term.split():
        word_q = Q()
        for field in text_fields:
            word_q |= Q(**{f"{field}__icontains": word})
        if is_ascii_digits(word) and int(word) <= MAX_ID:
            for field in id_fields:
                word_q |= Q(**{field: int(word)})
        condition &= word_q
    return condition


class StandingBreachFilter(admin.SimpleListFilter):
    """The breaches still standing (pricing.guard_selectors): what the dashboard counts."""

    title = _("still standing")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=promo_breaches_standing().values("pk"))
        return queryset


class RequestBelowMrpcFilter(admin.SimpleListFilter):
    title = _("below MRPC")
    parameter_name = "below_mrpc"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(requested_price__lt=F("mrpc"))
        if self.value() == "no":
            # Both prices known and the request at or above MRPC; rows lacking either are in neither answer.
            return queryset.filter(requested_price__gte=F("mrpc"))
        return queryset


class GuardLogAdmin(AccountScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The guard's records: newest first, one SKU each, long tables without a full COUNT."""

    # A discount request for a SKU not in the catalogue has no account: listed under "all accounts" only.
    account_path = "sku__account"

    list_select_related = ("sku",)
    list_per_page = 100
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-created_at", "-id")
    raw_id_fields = ("sku",)


@admin.register(PromoExit)
class PromoExitAdmin(GuardLogAdmin):
    list_display = (
        "created_at",
        "sku_shown",
        "action_kind",
        "action_id",
        "action_title",
        "action_price",
        "mrpc",
        "gap_shown",
        "outcome",
        "error_message",
        "reason",
        "actor",
    )
    list_display_links = ("created_at",)
    list_filter = (StandingBreachFilter, "outcome", "action_kind", "reason", ("created_at", admin.DateFieldListFilter))
    search_fields = ("sku__offer_id", "action_title")
    search_help_text = _("Article or promotion; a number also finds the Ozon SKU, product id or promotion id.")

    @admin.display(description=_("SKU"), ordering="sku__offer_id")
    def sku_shown(self, row: PromoExit):
        return _sku_html(row.sku_id, row.sku.offer_id)

    @admin.display(description=_("under MRPC by"))
    def gap_shown(self, row: PromoExit):
        return _gap_html(row.gap)

    def get_search_results(self, request, queryset, search_term):
        term = search_words_bound(request, search_term)
        if not term.strip():
            return queryset, False
        q = _words_q(term, ("sku__offer_id", "action_title"), ("sku__sku", "sku__product_id", "action_id"))
        return queryset.filter(q), False


@admin.register(DiscountRequest)
class DiscountRequestAdmin(GuardLogAdmin):
    list_display = (
        "created_at",
        "ozon_id",
        "sku_shown",
        "name",
        "requested_price_shown",
        "mrpc",
        "gap_shown",
        "requested_quantity_max",
        "status",
        "decision",
        "decided_at",
        "actor",
        "error_message",
    )
    list_display_links = ("created_at", "ozon_id")
    list_filter = (
        RequestBelowMrpcFilter,
        "status",
        "decision",
        ("created_at", admin.DateFieldListFilter),
        ("decided_at", admin.DateFieldListFilter),
    )
    search_fields = ("name", "sku__offer_id")
    search_help_text = _("Name or article; a number also finds the Ozon SKU or the request id.")

    @admin.display(description=_("SKU"), ordering="ozon_sku")
    def sku_shown(self, row: DiscountRequest):
        # A request for a SKU not (yet) in the catalogue has only Ozon's SKU number.
        return _sku_html(row.sku_id, row.sku.offer_id) if row.sku is not None else row.ozon_sku

    @admin.display(description=_("requested price"), ordering="requested_price")
    def requested_price_shown(self, row: DiscountRequest):
        if row.requested_price is None:
            return "—"
        text = formats.number_format(row.requested_price, 2, use_l10n=True, force_grouping=True)
        return format_html('<span class="gap-below">{}</span>', text) if row.below_mrpc else text

    @admin.display(description=_("under MRPC by"))
    def gap_shown(self, row: DiscountRequest):
        if row.mrpc is None or row.requested_price is None:
            return "—"
        return _gap_html(row.mrpc - row.requested_price)

    def get_search_results(self, request, queryset, search_term):
        term = search_words_bound(request, search_term)
        if not term.strip():
            return queryset, False
        return queryset.filter(_words_q(term, ("name", "sku__offer_id"), ("ozon_sku", "ozon_id"))), False

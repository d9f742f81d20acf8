"""Image pushes in the admin: a read-only log, and the pushes on each SKU's page.

The bulk action's form lives in `imagepush.actions`; the action itself, a background job, in
`pricing.admin.sku.image_push`.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imagepush.models import ImagePush
from ozonprice.admin_base import BoundedSearchMixin, ReadOnlyAdminMixin
from ozonprice.admin_switcher import AccountScopedAdminMixin
from ozonprice.converters import INT64_MAX
from ozonprice.inputs import is_ascii_digits

__all__ = ["ImagePushAdmin", "ImagePushInline"]


class ImageCountMixin:
    # A method named in `fields` rather than a bare function: the admin accepts both, the types only names.
    @admin.display(description=_("images"))
    def image_count(self, push: ImagePush) -> int:
        return len(push.images or [])


@admin.register(ImagePush)
class ImagePushAdmin(
    AccountScopedAdminMixin, ImageCountMixin, BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    list_display = (
        "created_at",
        "product_id",
        "offer_id",
        "status",
        "image_count",
        "source",
        "requested_by",
        "task_id",
        "finished_at",
    )
    list_filter = ("status", "source", "created_at")
    search_fields = ("offer_id",)
    search_help_text = _("Article; a number finds the product id or Ozon task id.")
    list_select_related = ("sku",)
    list_per_page = 50
    show_full_result_count = False
    ordering = ("-created_at", "-id")
    fieldsets = (
        (None, {"fields": ("sku", "product_id", "offer_id", "status", "error", "source", "requested_by")}),
        (_("Request"), {"fields": ("images", "primary_image", "color_image")}),
        (_("Ozon"), {"fields": ("task_id", "result", "errors", "current_images", "current_color_image")}),
        (_("Times"), {"fields": ("created_at", "sent_at", "finished_at")}),
    )
    readonly_fields = tuple(
        field for _title, options in fieldsets for field in options["fields"] if isinstance(field, str)
    )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        # ASCII digits within 64 bits only: `isdecimal()` is true for "٢٠" too, and a
        # longer number overflows the integer columns.
        if is_ascii_digits(term) and int(term) <= INT64_MAX:
            # Integer columns matched exactly (indexed), not as text.
            number = int(term)
            return queryset.filter(product_id=number) | queryset.filter(task_id=number), False
        return super().get_search_results(request, queryset, search_term)


class ImagePushInline(ImageCountMixin, ReadOnlyAdminMixin, admin.TabularInline):
    """The SKU page's pushes, newest first."""

    model = ImagePush
    fk_name = "sku"
    fields = ("created_at", "status", "image_count", "source", "requested_by", "task_id", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-created_at", "-id")
    verbose_name_plural = _("image pushes")

    def has_view_permission(self, request, obj=None) -> bool:
        # Shown, never submitted: left out of the SKU form's POST, saving MRPC or
        # a discount never depends on the pushes' formset (nor on one made meanwhile).
        return request.method != "POST" and super().has_view_permission(request, obj)

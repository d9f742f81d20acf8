"""The bulk actions "Set MRPC…" and "Set discount…": a form, a preview, then the save.

The form takes one value for every selected SKU and/or a value per row (a
row's own value wins). "Preview" runs the edits' dry run and shows, per row,
today's prices on Ozon and on the showcase next to what maintenance would
send and the discount buyers would see, with the reason for every row Ozon
would refuse. "Save" stores the valid rows through the same service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pricing.admin.common import rows_report, selection_context, selection_too_big
from pricing.services.edits import sku_inputs_set
from pricing.services.preview import ROW_STATUSES, RowStatus, sku_inputs_preview

# Rows in one form: two fields per row stay below Django's 1000-field limit per request.
MAX_ROWS = 300
TEMPLATE = "admin/catalog/sku/edit_prices.html"


class FieldSpec(TypedDict):
    """One editable field's texts; `done` gives the success message for a count (still with %(count)d)."""

    title: str | Promise
    label: str | Promise
    help: str | Promise
    done: Callable[[int], str]


FIELDS: dict[str, FieldSpec] = {
    "mrpc": {
        "title": gettext_lazy("Set MRPC"),
        "label": gettext_lazy("MRPC, ₽"),
        "help": gettext_lazy(
            "MRPC is the price buyers must see on the storefront. The crossed-out price follows from each "
            "SKU's discount."
        ),
        "done": lambda count: ngettext("MRPC saved for %(count)d SKU.", "MRPC saved for %(count)d SKUs.", count),
    },
    "discount": {
        "title": gettext_lazy("Set discount"),
        "label": gettext_lazy("Discount, %"),
        "help": gettext_lazy(
            "The discount buyers see: the crossed-out price is MRPC / (1 − discount). 0 removes the crossed-out "
            "price. Ozon refuses discounts too small or too big for the price; the preview names the ones that work."
        ),
        "done": lambda count: ngettext(
            "Discount saved for %(count)d SKU.", "Discount saved for %(count)d SKUs.", count
        ),
    },
}


def _edit(modeladmin, request, queryset, *, field: str, action: str):
    spec = FIELDS[field]
    skus = list(queryset.order_by("id")[: MAX_ROWS + 1])
    if len(skus) > MAX_ROWS:
        selection_too_big(modeladmin, request, MAX_ROWS)
        return None
    common = request.POST.get("common", "").strip().replace(",", ".")
    own = {sku.pk: request.POST.get(f"value-{sku.pk}", "").strip().replace(",", ".") for sku in skus}
    values = {pk: {field: value or common} for pk, value in own.items() if value or common}
    stage = "form"
    if values and "apply" in request.POST:
        by_ref = {str(sku.pk): sku for sku in skus}
        result = sku_inputs_set(items=[{"sku": str(pk), **value} for pk, value in values.items()], rows=by_ref)
        if result.updated:
            modeladmin.message_user(
                request, spec["done"](len(result.updated)) % {"count": len(result.updated)}, messages.SUCCESS
            )
            if any(entry["row"].active for entry in result.updated):
                modeladmin.message_user(
                    request,
                    _(
                        "Active SKUs get the new prices with the next price run; «Update prices on Ozon now» sends "
                        "them at once."
                    ),
                    messages.INFO,
                )
        rows_report(modeladmin, request, [(by_ref[e["sku"]].offer_id, e["error"]) for e in result.errors])
        return None
    if "preview" in request.POST or "apply" in request.POST:
        stage = "preview" if values else "form"
        if not values:
            modeladmin.message_user(request, _("Enter a value for all SKUs or for some rows."), messages.WARNING)
    preview = {row.sku.pk: row for row in sku_inputs_preview(skus=skus, values=values)} if stage == "preview" else {}
    rows = [(sku, own.get(sku.pk, ""), preview.get(sku.pk)) for sku in skus]
    counts = {
        status: sum(1 for row in preview.values() if row.status == status)
        for status in (RowStatus.SEND, RowStatus.HELD, RowStatus.UNCHANGED, RowStatus.SKIPPED, RowStatus.ERROR)
    }
    context = {
        **selection_context(modeladmin, request, queryset, action=action, title=spec["title"]),
        "field": field,
        "spec": spec,
        "rows": rows,
        "common": common,
        "stage": stage,
        "counts": counts,
        "valid": sum(1 for row in preview.values() if row.ok),
        "status": ROW_STATUSES,
    }
    # The rows are listed on the page: they, not "select all", are what the next step posts back.
    context["select_across"], context["selected"] = False, [str(sku.pk) for sku in skus]
    return TemplateResponse(request, TEMPLATE, context)


@admin.action(description=gettext_lazy("Set MRPC…"), permissions=["change"])
def set_mrpc(modeladmin, request, queryset):
    return _edit(modeladmin, request, queryset, field="mrpc", action="set_mrpc")


@admin.action(description=gettext_lazy("Set discount…"), permissions=["change"])
def set_discount(modeladmin, request, queryset):
    return _edit(modeladmin, request, queryset, field="discount", action="set_discount")

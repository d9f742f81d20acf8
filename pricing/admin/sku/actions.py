"""Bulk actions on the SKU list: thin verbs over the pricing services.

Local switches (activate, deactivate, approve) act at once. Remote work on
many SKUs (showcase prices, sending prices) runs as a background job whose
page shows progress and outcome. Sending prices first shows maintenance's
dry run of the selection, row by row.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ozonprice.models import Account
from pricing.admin.approvals import held_changes_approval
from pricing.admin.common import job_started, rows_report, selection_context
from pricing.models import JobKind
from pricing.selectors import price_changes_held
from pricing.services.edits import ActivationResult, skus_activate, skus_deactivate
from pricing.services.jobs import admin_job_start
from pricing.services.preview import ROW_STATUSES, prices_update_preview


def _product_ids(queryset) -> list[int]:
    return list(queryset.order_by().values_list("product_id", flat=True))


def _by_account(queryset) -> list[tuple[Account, list[int]]]:
    """The selection's product ids per account: a product id names a SKU within its account only."""
    ids: dict[int, list[int]] = {}
    for account_id, product_id in queryset.order_by().values_list("account_id", "product_id"):
        ids.setdefault(account_id, []).append(product_id)
    accounts = Account.objects.in_bulk(list(ids))
    return [(accounts[account_id], product_ids) for account_id, product_ids in sorted(ids.items())]


def one_account(modeladmin, request, queryset) -> tuple[Account, list[int]] | None:
    """The selection's account and product ids; None (and a message) when it spans several accounts.

    A remote job runs one account's products with that account's credentials and settings.
    """
    groups = _by_account(queryset)
    if len(groups) == 1:
        return groups[0]
    if groups:
        modeladmin.message_user(
            request, _("Select SKUs of one account for this action (filter the list by account)."), messages.ERROR
        )
    return None


@admin.action(description=gettext_lazy("Activate price maintenance"), permissions=["change"])
def activate(modeladmin, request, queryset):
    result = ActivationResult()
    for account, product_ids in _by_account(queryset):
        done = skus_activate(product_ids=product_ids, account=account)
        result.activated += done.activated
        result.already += done.already
        result.refused += done.refused
    if result.activated:
        count = len(result.activated)
        modeladmin.message_user(
            request,
            ngettext("Price maintenance is on for %(count)d SKU.", "Price maintenance is on for %(count)d SKUs.", count)
            % {"count": count},
            messages.SUCCESS,
        )
    if result.already:
        modeladmin.message_user(
            request,
            ngettext("%(count)d SKU was active already.", "%(count)d SKUs were active already.", result.already)
            % {"count": result.already},
            messages.INFO,
        )
    if result.refused:
        modeladmin.message_user(
            request,
            ngettext("%(count)d SKU was not activated:", "%(count)d SKUs were not activated:", len(result.refused))
            % {"count": len(result.refused)},
            messages.WARNING,
        )
        rows_report(
            modeladmin, request, [(sku.offer_id, reason) for sku, reason in result.refused], level=messages.WARNING
        )


@admin.action(description=gettext_lazy("Deactivate price maintenance"), permissions=["change"])
def deactivate(modeladmin, request, queryset):
    count = sum(
        skus_deactivate(product_ids=product_ids, account=account) for account, product_ids in _by_account(queryset)
    )
    modeladmin.message_user(
        request,
        ngettext("Price maintenance is off for %(count)d SKU.", "Price maintenance is off for %(count)d SKUs.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=gettext_lazy("Fetch showcase prices now"), permissions=["change"])
def fetch_showcase_prices(modeladmin, request, queryset):
    if (selection := one_account(modeladmin, request, queryset)) is None:
        return None
    account, product_ids = selection
    job = admin_job_start(
        kind=JobKind.SHOWCASE_FETCH, product_ids=product_ids, actor=request.user.get_username(), account=account
    )
    return job_started(modeladmin, request, job)


@admin.action(description=gettext_lazy("Guard promotions now"), permissions=["change"])
def guard_promotions(modeladmin, request, queryset):
    if (selection := one_account(modeladmin, request, queryset)) is None:
        return None
    account, product_ids = selection
    job = admin_job_start(
        kind=JobKind.GUARD_PROMOTIONS, product_ids=product_ids, actor=request.user.get_username(), account=account
    )
    return job_started(modeladmin, request, job)


@admin.action(description=gettext_lazy("Update prices on Ozon now…"), permissions=["change"])
def update_prices(modeladmin, request, queryset):
    if (selection := one_account(modeladmin, request, queryset)) is None:
        return None
    account, ids = selection
    if "apply" in request.POST:
        job = admin_job_start(
            kind=JobKind.PRICES_UPDATE, product_ids=ids, actor=request.user.get_username(), account=account
        )
        return job_started(modeladmin, request, job)
    preview = prices_update_preview(product_ids=ids, account=account)
    context = {
        **selection_context(
            modeladmin, request, queryset, action="update_prices", title=_("Update prices on Ozon now")
        ),
        "preview": preview,
        "shown": len(preview.rows),
        "status": ROW_STATUSES,
    }
    return TemplateResponse(request, "admin/catalog/sku/update_prices.html", context)


@admin.action(description=gettext_lazy("Approve quarantined price changes…"), permissions=["change"])
def approve_quarantined(modeladmin, request, queryset):
    held = price_changes_held(skus=queryset.order_by().values("pk"))
    return held_changes_approval(modeladmin, request, queryset, held=held, action="approve_quarantined")

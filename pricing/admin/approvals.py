"""The one approval screen for held (quarantined) price changes.

Both doors lead here: the SKU list's action (the held changes of the selected SKUs) and the price
change log's action (the selected changes that are held). The screen lists each change with its
jump, the manager ticks what goes, and may send it to Ozon at once as a background job.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ozonprice.models import Account
from pricing.admin.common import job_started, selection_context
from pricing.models import JobKind, PriceChange
from pricing.services.edits import price_changes_approve
from pricing.services.jobs import admin_job_start

# Held changes listed on one screen.
MAX_APPROVALS = 500


def held_changes_approval(
    modeladmin, request: HttpRequest, queryset: QuerySet, *, held: QuerySet[PriceChange], action: str
) -> HttpResponse | None:
    """The confirmation screen for `held`; on its post, approve the ticked changes (and send them if asked)."""
    changes = list(held.select_related("sku__account").order_by("sku__offer_id", "-created_at")[: MAX_APPROVALS + 1])
    if not changes:
        modeladmin.message_user(request, _("The selection has no price change waiting for approval."), messages.WARNING)
        return None
    if "apply" in request.POST:
        chosen = {int(pk) for pk in request.POST.getlist("change") if pk.isdigit()}
        # Per account: each approval is its account's (the changes may be of several).
        by_account: dict[int, tuple[Account, list[int]]] = {}
        for change in changes:
            if change.pk in chosen:
                by_account.setdefault(change.sku.account_id, (change.sku.account, []))[1].append(change.pk)
        count = sum(
            price_changes_approve(change_ids=ids, actor=request.user.get_username(), account=account)
            for account, ids in by_account.values()
        )
        modeladmin.message_user(
            request,
            ngettext("%(count)d price change approved.", "%(count)d price changes approved.", count) % {"count": count},
            messages.SUCCESS,
        )
        if count and request.POST.get("send_now"):
            # One job per account (its credentials, its lease); the page followed is the last one's.
            for account, ids in by_account.values():
                product_ids = sorted({change.sku.product_id for change in changes if change.pk in ids})
                job = admin_job_start(
                    kind=JobKind.PRICES_UPDATE,
                    product_ids=product_ids,
                    actor=request.user.get_username(),
                    account=account,
                )
                response = job_started(modeladmin, request, job)
            return response
        if count:
            modeladmin.message_user(request, _("They go to Ozon with the next price run."), messages.INFO)
        return None
    context = {
        **selection_context(modeladmin, request, queryset, action=action, title=_("Approve quarantined price changes")),
        "changes": changes[:MAX_APPROVALS],
        "more": len(changes) > MAX_APPROVALS,
    }
    return TemplateResponse(request, "admin/pricing/approve_changes.html", context)

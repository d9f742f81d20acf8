"""What the SKU list's actions share: per-row messages (capped), the selection posted back, job links."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pricing.models import AdminJob

# Rows named one by one; the rest are counted.
MAX_ROW_MESSAGES = 20


def rows_report(modeladmin, request, rows: Iterable[tuple[str, str]], *, level=messages.ERROR) -> None:
    """One message per `(article, reason)`, then one line for the rest."""
    rows = list(rows)
    for article, reason in rows[:MAX_ROW_MESSAGES]:
        modeladmin.message_user(request, f"{article}: {reason}", level)
    rest = len(rows) - MAX_ROW_MESSAGES
    if rest > 0:
        modeladmin.message_user(
            request,
            ngettext("…and %(count)d more row like these.", "…and %(count)d more rows like these.", rest)
            % {"count": rest},
            level,
        )


def selection_too_big(modeladmin, request, limit: int) -> None:
    modeladmin.message_user(
        request,
        _("Select at most %(max)d SKUs for this action; for more, export the list, edit the file and import it.")
        % {"max": limit},
        messages.ERROR,
    )


def selection_context(modeladmin, request, queryset, *, action: str, title: str | Promise) -> dict:
    """What an intermediate page needs to post the same selection back to the list."""
    select_across = request.POST.get("select_across") == "1"
    return {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "select_across": select_across,
        # The ticked rows; with "select all" the list's filters (kept in the URL) select again, but
        # Django still wants one ticked row to treat the post as an action.
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
    }


def sentence_case(text: str) -> str:
    """The first letter up, the rest as written (`str.capitalize` would make «Ozon» «ozon»)."""
    return text[:1].upper() + text[1:]


def job_started(modeladmin, request, job: AdminJob) -> HttpResponseRedirect:
    url = reverse("admin:pricing_adminjob_change", args=[job.pk])
    modeladmin.message_user(
        request,
        format_html(
            ngettext(
                '{job} started for {count} SKU: <a href="{url}">follow its progress</a>.',
                '{job} started for {count} SKUs: <a href="{url}">follow its progress</a>.',
                job.total,
            ),
            job=sentence_case(job.get_kind_display()),
            count=job.total,
            url=url,
        ),
        messages.INFO,
    )
    return HttpResponseRedirect(url)

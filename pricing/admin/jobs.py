"""The managers' background jobs: what ran, its progress while running, its outcome."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ozonprice.admin_base import BoundedSearchMixin, ReadOnlyAdminMixin
from pricing.models import AdminJob, JobKind, JobStatus


def job_outcome(job: AdminJob) -> str:
    """The job's result in the manager's language."""
    result = job.result or {}
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return _("%(done)d of %(total)d SKUs processed…") % {"done": job.done, "total": job.total}
    if result.get("skipped") and job.kind == JobKind.GUARD_PROMOTIONS:
        return _("Not run: another guard run was in progress. Try again in a minute.")
    if result.get("skipped"):
        return _("Not run: another price run was in progress. Try again in a minute.")
    if job.kind == JobKind.SHOWCASE_FETCH and "fetched" in result:
        text = _("Showcase prices read for %(fetched)d SKUs, %(updated)d updated.") % result
    elif job.kind == JobKind.PRICES_UPDATE and "sent" in result:
        if result.get("dry_run"):
            text = _("Dry run (runtime settings): %(planned)d changes planned, nothing sent.") % result
        else:
            text = (
                _(
                    "Sent %(sent)d, rejected by Ozon %(rejected)d, failed %(failed)d, held for approval %(held)d, "
                    "already on Ozon %(unchanged)d."
                )
                % result
            )
            waiting = result.get("in_flight", 0) + result.get("unknown", 0)
            if waiting:
                text += " " + ngettext(
                    "%(count)d change is awaiting Ozon (sent, not yet confirmed): not sent again.",
                    "%(count)d changes are awaiting Ozon (sent, not yet confirmed): not sent again.",
                    waiting,
                ) % {"count": waiting}
    elif job.kind == JobKind.GUARD_PROMOTIONS and "breaches" in result:
        text = (
            _(
                "Promotions under MRPC: %(breaches)d; reported %(reported)d, removed %(removed)d, refused by Ozon "
                "%(refused)d, no answer %(failed)d. Min-price timers lapsed %(timers_lapsed)d, renewed "
                "%(timers_renewed)d. Discount requests declined %(declined)d."
            )
            % result
        )
    elif job.kind == JobKind.IMAGE_PUSH and "pushes" in result:
        text = _("Pictures replaced on Ozon for %(ok)d of %(pushes)d SKUs, failed %(failed)d.") % result
        if result.get("pending"):
            text += " " + ngettext(
                "%(count)d push is awaiting Ozon: it is checked again every few minutes.",
                "%(count)d pushes are awaiting Ozon: they are checked again every few minutes.",
                result["pending"],
            ) % {"count": result["pending"]}
    else:
        text = ""
    if job.error:
        text = (text + " " if text else "") + _("Error: %(error)s") % {"error": job.error}
    return text


@admin.register(AdminJob)
class AdminJobAdmin(BoundedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "status_badge", "total", "outcome", "created_by", "finished_at")
    list_filter = ("kind", "status")
    search_fields = ("created_by",)
    list_select_related = False
    list_per_page = 50
    show_full_result_count = False
    ordering = ("-created_at", "-id")
    change_form_template = "admin/pricing/adminjob/change_form.html"
    readonly_fields = (
        "kind",
        "status",
        "total",
        "done",
        "outcome",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, job: AdminJob) -> str:
        return format_html('<span class="job-status job-{}">{}</span>', job.status, job.get_status_display())

    @admin.display(description=gettext_lazy("result"))
    def outcome(self, job: AdminJob) -> str:
        return job_outcome(job)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = {**(extra_context or {}), "job": job}
        if job is not None:
            extra["job_outcome"] = job_outcome(job)
            extra["job_errors"] = job.errors[:200]
        return super().change_view(request, object_id, form_url, extra_context=extra)

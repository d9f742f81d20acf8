"""The admin index as the managers' dashboard: what needs attention, with links to the filtered lists.

Every number is one indexed query; the page stays fast on a catalogue of
100,000 SKUs and a large change log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, ExpressionWrapper, F, Q
from django.db.models import DecimalField as DecimalOutput
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.models import Schedule, Task

from auditlog.models import ApiLogEntry
from catalog.models import Sku
from ozonprice.models import Account, RuntimeSettings, TaskRun
from ozonprice.schedule import jobs
from pricing.guard_selectors import (
    discount_declines_summary,
    promo_breach_summary,
    promo_removals_today_count,
    showcase_held_summary,
    timer_lapsed_q,
    today_start,
)
from pricing.models import IN_FLIGHT_STATUSES, AdminJob, ChangeStatus, DiscountDecision, PriceChange, PromoOutcome

# The background tasks a manager watches, in the order shown.
WATCHED_TASKS = (
    ("monitor_products", _("Catalogue sync")),
    ("maintain_mrpc_prices", _("Price maintenance")),
    ("verify_price_changes", _("Verification")),
    ("guard_promotions", _("Promotion guard")),
)
BELOW_MRPC_SHOWN = 8


@dataclass
class TaskState:
    name: str
    title: str
    stopped: datetime | None = None
    success: bool | None = None
    result: str = ""
    next_run: datetime | None = None
    url: str = ""


def _url(name: str, **params) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _tasks() -> list[TaskState]:
    funcs = {job.name: job.func for job in jobs(RuntimeSettings(pk=RuntimeSettings.SINGLETON_PK))}
    recorded = TaskRun.objects.in_bulk([name for name, _title in WATCHED_TASKS])
    states = []
    for name, title in WATCHED_TASKS:
        state = TaskState(name=name, title=str(title))
        last = (
            Task.objects.filter(Q(group=name) | Q(func=funcs.get(name, name)))
            .order_by("-stopped")
            .values("stopped", "success", "result", "id")
            .first()
        )
        if last:
            state.stopped, state.success = last["stopped"], last["success"]
            state.result = str(last["result"] or "")[:300]
            admin_name = "admin:django_q_success_change" if last["success"] else "admin:django_q_failure_change"
            state.url = reverse(admin_name, args=[last["id"]])
        # A run the cluster did not make (a management command, `make run`) is only in TaskRun.
        run = recorded.get(name)
        if run is not None and (state.stopped is None or run.stopped_at > state.stopped):
            state.stopped, state.success, state.result, state.url = run.stopped_at, run.success, run.summary[:300], ""
        state.next_run = Schedule.objects.filter(name=name).values_list("next_run", flat=True).first()
        states.append(state)
    return states


def _guard_tiles(*, now: datetime, skus: str, settings: RuntimeSettings) -> dict:
    """The storefront guard's tiles (SPEC §10): one query each; what they count is in pricing.guard_selectors."""
    breaches = promo_breach_summary(now=now, guard_interval=settings.guard_interval)
    declined = discount_declines_summary(now=now)
    held = showcase_held_summary()
    # The admin's own "Today" date filter, with its parameters: the list shows it selected.
    today = today_start(now)
    return {
        # The first account's until the dashboard is per account (part A).
        "guard_mode": first.get_promo_guard_mode_display() if (first := Account.objects.first()) else "",
        "promo_breach_skus": breaches.skus,
        "promo_breach_worst_gap": breaches.worst_gap,
        "promo_breach_url": _url("admin:pricing_promoexit_changelist", standing="yes"),
        "promo_removed_today": promo_removals_today_count(now=now),
        "promo_removed_today_url": _url(
            "admin:pricing_promoexit_changelist",
            outcome__exact=PromoOutcome.REMOVED,
            created_at__gte=str(today),
            created_at__lt=str(today + timedelta(days=1)),
        ),
        "declined_today": declined.today,
        "declined_total": declined.total,
        "declined_url": _url(
            "admin:pricing_discountrequest_changelist", decision__exact=DiscountDecision.DECLINED_BELOW_MRPC
        ),
        "held_skus": held.skus,
        "held_max_uplift": held.max_uplift,
        "held_url": f"{skus}?showcase_held=yes",
        "timer_lapsed": Sku.objects.filter(timer_lapsed_q(now=now)).count(),
        "timer_lapsed_url": f"{skus}?timer_lapsed=yes",
    }


def dashboard_get() -> dict:
    now = timezone.now()
    day_ago = now - timedelta(hours=24)
    skus = reverse("admin:catalog_sku_changelist")
    changes = "admin:pricing_pricechange_changelist"
    counts = list(
        PriceChange.objects.values_list("status")
        .annotate(n=Count("id"), unfinished=Count("id", filter=Q(finished_at__isnull=True)))
        .order_by()
    )
    by_status = {status: n for status, n, _unfinished in counts}
    # An applied change verification closed (a marketplace discount) is finished, not in flight.
    unfinished = {status: n for status, _n, n in counts}
    gap = ExpressionWrapper(F("mrpc") - F("front_price"), output_field=DecimalOutput(max_digits=12, decimal_places=2))
    below = Sku.objects.filter(front_price__lt=F("mrpc"))
    settings = RuntimeSettings.load()
    return {
        "active": Sku.objects.filter(active=True).count(),
        "active_url": f"{skus}?active__exact=1",
        "below_count": below.count(),
        "below_url": f"{skus}?below_mrpc=yes",
        "below_rows": list(
            below.annotate(gap=gap)
            .order_by("-gap")
            .only("id", "offer_id", "name", "front_price", "mrpc", "active")[:BELOW_MRPC_SHOWN]
        ),
        "held": by_status.get(ChangeStatus.HELD, 0),
        "held_url": _url(changes, status__exact=ChangeStatus.HELD),
        # Sent and not yet settled, including imports whose answer never came (awaiting Ozon).
        "in_flight": sum(unfinished.get(s, 0) for s in (ChangeStatus.PLANNED, *IN_FLIGHT_STATUSES)),
        "in_flight_url": _url(
            changes, status__in=",".join([ChangeStatus.PLANNED, *IN_FLIGHT_STATUSES]), finished_at__isnull="True"
        ),
        "failed": by_status.get(ChangeStatus.FAILED, 0),
        "failed_url": _url(changes, status__exact=ChangeStatus.FAILED),
        "rejected": by_status.get(ChangeStatus.REJECTED, 0),
        "rejected_url": _url(changes, status__exact=ChangeStatus.REJECTED),
        "ozon_errors": ApiLogEntry.objects.filter(service="ozon", success=False, timestamp__gte=day_ago).count(),
        "ozon_errors_url": _url(
            "admin:auditlog_apilogentry_changelist",
            service="ozon",
            success__exact="0",
            timestamp__gte=timezone.localtime(day_ago).isoformat(timespec="seconds"),
        ),
        "tasks": _tasks(),
        "jobs": list(AdminJob.objects.order_by("-created_at")[:5]),
        "jobs_url": reverse("admin:pricing_adminjob_changelist"),
        "dry_run": Account.objects.filter(dry_run=True).exists(),
        "guard": _guard_tiles(now=now, skus=skus, settings=settings),
    }

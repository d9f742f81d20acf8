"""Price history (append-only) and the persisted queue of price changes to verify."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import PRICE, Sku


class Reason(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    MANUAL = "manual", _("manual")
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    # Raised so the showcase lands at MRPC under a marketplace discount (SPEC §10).
    SHOWCASE_HOLD = "showcase_hold", _("showcase hold")


class PriceHistory(models.Model):
    """One row per price sent to Ozon; never updated."""

    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="price_history", verbose_name=_("SKU"))
    change = models.ForeignKey(
        "PriceChange", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("change")
    )
    timestamp = models.DateTimeField(_("time"), db_index=True)
    showcase_price = models.DecimalField(_("showcase price"), **PRICE)
    price_before = models.DecimalField(_("price before"), **PRICE)
    old_price_before = models.DecimalField(_("old price before"), **PRICE)
    new_price = models.DecimalField(_("new price"), **PRICE)
    new_old_price = models.DecimalField(_("new old price"), **PRICE)
    new_min_price = models.DecimalField(_("new min price"), **PRICE)
    mrpc = models.DecimalField(_("MRPC"), **PRICE)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    actor = models.CharField(_("who"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("price history entry")
        verbose_name_plural = _("price history")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["sku", "-timestamp"], name="pricehistory_sku_time_idx")]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.price_before} → {self.new_price}"


class ChangeStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("awaiting approval (quarantine)")
    SENT = "sent", _("sent")
    # Sent, but Ozon's answer never came and its prices do not show the change yet
    # (Ozon applies imports late): awaiting Ozon, never re-sent, failed only after the
    # verification window.
    UNKNOWN = "unknown", _("sent, no answer: awaiting Ozon")
    APPLIED = "applied", _("applied by Ozon")
    CONFIRMED = "confirmed", _("confirmed on the showcase")
    REJECTED = "rejected", _("rejected by Ozon")
    FAILED = "failed", _("failed")


OPEN_STATUSES = (
    ChangeStatus.PLANNED, ChangeStatus.HELD, ChangeStatus.SENT, ChangeStatus.UNKNOWN, ChangeStatus.APPLIED,
)
# Sent to Ozon and not settled: Ozon holds the change or may still apply it.
IN_FLIGHT_STATUSES = (ChangeStatus.SENT, ChangeStatus.UNKNOWN, ChangeStatus.APPLIED)


class PriceChange(models.Model):
    """A price change from plan to proof: planned → sent → applied → confirmed, or rejected / failed.

    An import whose answer never came and that Ozon does not show yet is
    `unknown` (with `sent_at` = when it went out) until Ozon shows it
    (→ applied) or the verification window ends (→ failed).
    """

    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="price_changes", verbose_name=_("SKU"))
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices, db_index=True)
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, default=Reason.SCHEDULED)
    actor = models.CharField(_("who"), max_length=150, blank=True)

    expected_price = models.DecimalField(_("expected price"), **PRICE)
    expected_old_price = models.DecimalField(_("expected old price"), **PRICE)
    expected_min_price = models.DecimalField(_("expected min price"), **PRICE)
    price_before = models.DecimalField(_("price before"), **PRICE)
    old_price_before = models.DecimalField(_("old price before"), **PRICE)

    observed_price = models.DecimalField(_("price on Ozon"), **PRICE)
    observed_old_price = models.DecimalField(_("old price on Ozon"), **PRICE)
    observed_showcase = models.DecimalField(_("showcase price seen"), **PRICE)
    showcase_source = models.CharField(_("showcase source"), max_length=32, blank=True)
    marketplace_discount = models.DecimalField(
        _("marketplace discount"),
        help_text=_("Ozon holds the right price but the showcase is lower by this much."),
        **PRICE,
    )

    error_code = models.CharField(_("Ozon error code"), max_length=128, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("verification attempts"), default=0)

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # Set just before the import call: a change with this set and status still
    # `planned` was cut off mid-call and is reconciled by the next run.
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sku", "status"], name="pricechange_sku_status_idx")]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.price_before} → {self.expected_price} ({self.status})"


class JobKind(models.TextChoices):
    SHOWCASE_FETCH = "showcase_fetch", _("fetch showcase prices")
    PRICES_UPDATE = "prices_update", _("update prices on Ozon")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class AdminJob(models.Model):
    """A manager's remote operation on many SKUs, run by a django-q2 worker.

    The task gets only this row's id; the row carries the product ids and
    shows progress and outcome on the job's admin page and the dashboard.
    """

    kind = models.CharField(_("operation"), max_length=32, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    product_ids = models.JSONField(_("products"), default=list, blank=True)
    total = models.PositiveIntegerField(_("SKUs"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    # Counts from the service's result (sent, rejected, updated…), shown in the manager's language.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    errors = models.JSONField(_("item errors"), default=list, blank=True)
    created_by = models.CharField(_("who"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

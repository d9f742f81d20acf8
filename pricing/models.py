"""Price history (append-only) and the persisted queue of price changes to verify."""

from decimal import Decimal

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

    # Fewer indexes, fewer writes per row (maintenance appends 1000 rows a batch): `(sku, -timestamp)`
    # below leads with the SKU, and no query looks rows up by change (history and changes are never deleted).
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, related_name="price_history", verbose_name=_("SKU"), db_index=False
    )
    change = models.ForeignKey(
        "PriceChange",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change"),
        db_index=False,
    )
    timestamp = models.DateTimeField(_("time"), db_index=True)
    showcase_price = models.DecimalField(_("showcase price"), **PRICE, null=True, blank=True)
    price_before = models.DecimalField(_("price before"), **PRICE, null=True, blank=True)
    old_price_before = models.DecimalField(_("old price before"), **PRICE, null=True, blank=True)
    new_price = models.DecimalField(_("new price"), **PRICE, null=True, blank=True)
    new_old_price = models.DecimalField(_("new old price"), **PRICE, null=True, blank=True)
    new_min_price = models.DecimalField(_("new min price"), **PRICE, null=True, blank=True)
    mrpc = models.DecimalField(_("MRPC"), **PRICE, null=True, blank=True)
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
    ChangeStatus.PLANNED,
    ChangeStatus.HELD,
    ChangeStatus.SENT,
    ChangeStatus.UNKNOWN,
    ChangeStatus.APPLIED,
)
# Sent to Ozon and not settled: Ozon holds the change or may still apply it.
IN_FLIGHT_STATUSES = (ChangeStatus.SENT, ChangeStatus.UNKNOWN, ChangeStatus.APPLIED)


class PriceChange(models.Model):
    """A price change from plan to proof: planned → sent → applied → confirmed, or rejected / failed.

    An import whose answer never came and that Ozon does not show yet is
    `unknown` (with `sent_at` = when it went out) until Ozon shows it
    (→ applied) or the verification window ends (→ failed).
    """

    # Not indexed alone: `(sku, status)` below leads with it (every index is one more write per row).
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, related_name="price_changes", verbose_name=_("SKU"), db_index=False
    )
    # Indexed in Meta: `db_index` would add, on PostgreSQL, a second (LIKE pattern) index no query uses,
    # written again each time a change's status moves.
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices)
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, default=Reason.SCHEDULED)
    actor = models.CharField(_("who"), max_length=150, blank=True)

    expected_price = models.DecimalField(_("expected price"), **PRICE, null=True, blank=True)
    expected_old_price = models.DecimalField(_("expected old price"), **PRICE, null=True, blank=True)
    expected_min_price = models.DecimalField(_("expected min price"), **PRICE, null=True, blank=True)
    price_before = models.DecimalField(_("price before"), **PRICE, null=True, blank=True)
    old_price_before = models.DecimalField(_("old price before"), **PRICE, null=True, blank=True)

    observed_price = models.DecimalField(_("price on Ozon"), **PRICE, null=True, blank=True)
    observed_old_price = models.DecimalField(_("old price on Ozon"), **PRICE, null=True, blank=True)
    observed_showcase = models.DecimalField(_("showcase price seen"), **PRICE, null=True, blank=True)
    showcase_source = models.CharField(_("showcase source"), max_length=32, blank=True)
    marketplace_discount = models.DecimalField(
        _("marketplace discount"),
        help_text=_("Ozon holds the right price but the showcase is lower by this much."),
        **PRICE,
        null=True,
        blank=True,
    )

    error_code = models.CharField(_("Ozon error code"), max_length=128, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("verification attempts"), default=0)

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # Set just before the import call: a change with this set and status still
    # `planned` was cut off mid-call and is reconciled by the next run.
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)  # read with its row; no query looks it up
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sku", "status"], name="pricechange_sku_status_idx"),
            models.Index(fields=["status"], name="pricechange_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.price_before} → {self.expected_price} ({self.status})"

    @property
    def change_percent(self) -> int | None:
        """The expected price against the price before, in whole percent (None without a price before)."""
        before = self.price_before or 0
        if not before or self.expected_price is None:
            return None
        return round((self.expected_price - before) / before * 100)


class JobKind(models.TextChoices):
    SHOWCASE_FETCH = "showcase_fetch", _("fetch showcase prices")
    PRICES_UPDATE = "prices_update", _("update prices on Ozon")
    GUARD_PROMOTIONS = "guard_promotions", _("guard promotions")
    IMAGE_PUSH = "image_push", _("push images to Ozon")


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
    # What else the kind needs, as ids only (never credentials): an image push's recorded `ImagePush` ids.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
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


class PromoKind(models.TextChoices):
    OZON = "ozon", _("Ozon promotion")
    SELLER = "seller", _("seller's own promotion")


class PromoOutcome(models.TextChoices):
    REPORTED = "reported", _("reported (report mode)")
    REMOVED = "removed", _("removed from the promotion")
    REFUSED = "refused", _("Ozon refused the removal")
    FAILED = "failed", _("no answer from Ozon")


class PromoExit(models.Model):
    """One promotion under MRPC that the storefront guard found for a SKU, and what it did about it.

    A new row when something happens (a breach first found, a removal, Ozon's
    refusal with its reason); a breach that stays as it was is not written again
    each run. `standing` marks the rows that still hold: the latest run that
    read the SKU's promotions found it there, under MRPC, as the row says. The
    run clears it once the SKU is out of the promotion or the promotion is
    gone, so "SKUs in promotions under MRPC now" is `standing=True`.
    """

    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="promo_exits", verbose_name=_("SKU"))
    action_kind = models.CharField(_("promotion kind"), max_length=16, choices=PromoKind.choices)
    action_id = models.BigIntegerField(_("promotion id"))
    action_title = models.CharField(_("promotion"), max_length=500, blank=True)
    action_price = models.DecimalField(_("action price"), **PRICE, null=True, blank=True)
    mrpc = models.DecimalField(_("MRPC"), **PRICE, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=PromoOutcome.choices, db_index=True)
    error_message = models.TextField(_("Ozon's reason"), blank=True)
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices, default=Reason.SCHEDULED)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    standing = models.BooleanField(
        _("still standing"),
        default=False,
        db_index=True,
        help_text=_("The latest guard run still found this SKU in this promotion under MRPC."),
    )

    class Meta:
        verbose_name = _("promotion exit")
        verbose_name_plural = _("promotion exits")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sku", "-created_at"], name="promoexit_sku_time_idx")]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.action_title or self.action_id} ({self.outcome})"

    @property
    def gap(self):
        """How far the action price is under MRPC (positive: a breach)."""
        if self.mrpc is None or self.action_price is None:
            return None
        return self.mrpc - self.action_price


class DiscountRequestStatus(models.TextChoices):
    NEW = "new", _("new")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class DiscountDecision(models.TextChoices):
    NONE = "", _("left to the manager")
    DECLINED_BELOW_MRPC = "declined_below_mrpc", _("declined: below MRPC")
    DECLINE_REFUSED = "decline_refused", _("decline refused by Ozon")


class DiscountRequest(models.Model):
    """A buyer's discount request (заявка на скидку) read from Ozon, and the guard's decision on it.

    Upserted by Ozon's task id on every guard run; the guard never approves a
    request below MRPC, and declines them in `decline_below_mrpc` mode.
    """

    ozon_id = models.BigIntegerField(_("Ozon request id"), unique=True)
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, null=True, blank=True, related_name="discount_requests", verbose_name=_("SKU")
    )
    ozon_sku = models.BigIntegerField(_("Ozon SKU"), db_index=True)
    name = models.CharField(_("name"), max_length=500, blank=True)
    requested_price = models.DecimalField(_("requested price"), **PRICE, null=True, blank=True)
    original_price = models.DecimalField(_("price before discounts"), **PRICE, null=True, blank=True)
    mrpc = models.DecimalField(_("MRPC when read"), **PRICE, null=True, blank=True)
    requested_quantity_max = models.PositiveIntegerField(_("quantity"), default=0)
    status = models.CharField(
        _("status on Ozon"),
        max_length=16,
        choices=DiscountRequestStatus.choices,
        default=DiscountRequestStatus.NEW,
        db_index=True,
    )
    decision = models.CharField(_("guard's decision"), max_length=32, choices=DiscountDecision.choices, blank=True)
    seller_comment = models.CharField(_("comment"), max_length=255, blank=True)
    error_message = models.TextField(_("Ozon's reason"), blank=True)
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices, blank=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created on Ozon"), null=True, blank=True)
    end_at = models.DateTimeField(_("expires"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    seen_at = models.DateTimeField(_("last read"), auto_now=True)

    class Meta:
        verbose_name = _("discount request")
        verbose_name_plural = _("discount requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ozon_id}: {self.ozon_sku} @ {self.requested_price}"

    @property
    def below_mrpc(self) -> bool:
        return self.mrpc is not None and self.requested_price is not None and self.requested_price < self.mrpc

    @property
    def gap(self) -> Decimal | None:
        """How far the requested price is under MRPC (None when it is not below)."""
        if self.mrpc is None or self.requested_price is None or self.requested_price >= self.mrpc:
            return None
        return self.mrpc - self.requested_price

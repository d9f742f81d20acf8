"""Runtime settings (one row, editable at run time), the Ozon accounts, the API keys, task leases and runs."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ozonprice.fields import EncryptedTextField


class ShowcaseSource(models.TextChoices):
    FRONT_API = "front_api", _("Front Price API")
    OZON_DETAILS = "ozon_details", _("Ozon prices/details (Premium Pro)")
    OZON_SELLER_PRICE = "ozon_seller_price", _("Ozon marketing_seller_price (upper bound)")


class PromoGuardMode(models.TextChoices):
    OFF = "off", _("off")
    REPORT = "report", _("report only")
    REMOVE = "remove", _("remove from promotions under MRPC")


class DiscountRequestsMode(models.TextChoices):
    MANUAL = "manual", _("manual: the manager decides")
    DECLINE_BELOW_MRPC = "decline_below_mrpc", _("decline requests below MRPC")


class RuntimeSettings(models.Model):
    """The singleton row of settings managers may change without a restart.

    The environment (`.env`) gives the first values; afterwards this row wins.
    What belongs to one Ozon account (credentials, showcase source, guard
    modes, dry run) lives on `Account` (migration 0007 moved it there).
    """

    SINGLETON_PK = 1

    monitoring_interval = models.PositiveIntegerField(
        _("monitoring interval, minutes"), default=10, validators=[MinValueValidator(1)]
    )
    price_update_interval = models.PositiveIntegerField(
        _("price update interval, minutes"), default=5, validators=[MinValueValidator(1)]
    )
    verification_window = models.PositiveIntegerField(
        _("verification window, minutes"), default=30, validators=[MinValueValidator(1)]
    )
    deviation_threshold = models.DecimalField(
        _("allowed showcase deviation, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    guard_interval = models.PositiveIntegerField(
        _("guard interval, minutes"), default=10, validators=[MinValueValidator(1)]
    )
    notify_emails = models.TextField(_("notification e-mails"), blank=True, help_text=_("One per line."))
    telegram_chat_id = models.CharField(_("Telegram chat id"), max_length=64, blank=True)
    telegram_bot_token = EncryptedTextField(_("Telegram bot token"), blank=True)
    images_limit = models.PositiveIntegerField(
        _("images per product"), default=30, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("runtime settings")
        verbose_name_plural = _("runtime settings")

    def __str__(self) -> str:
        return str(_("Runtime settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "RuntimeSettings":
        """The settings row, created from the environment on first use."""
        obj = cls.objects.filter(pk=cls.SINGLETON_PK).first()
        if obj is not None:
            return obj
        try:
            obj, _created = cls.objects.get_or_create(
                pk=cls.SINGLETON_PK,
                defaults={
                    "monitoring_interval": settings.MONITORING_INTERVAL,
                    "price_update_interval": settings.PRICE_UPDATE_INTERVAL,
                },
            )
        except IntegrityError:  # created concurrently by another process
            obj = cls.objects.get(pk=cls.SINGLETON_PK)
        return obj


class ApiScope(models.TextChoices):
    """What a named API key may do (SPEC §11); session users have model permissions instead."""

    READ = "read", _("read")
    PRICES = "prices", _("prices: MRPC, discount, activate, update")
    IMAGES = "images", _("images: push pictures")
    SETTINGS = "settings", _("settings and API keys")


class Account(models.Model):
    """One Ozon seller account («кабинет»): its credentials and the settings that belong to it.

    Every SKU belongs to one account; changes, history and guard rows belong
    through their SKU. What is the same for every account (intervals,
    verification window, notifications, retention) stays in `RuntimeSettings`.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    client_id = models.CharField(_("Ozon Client-Id"), max_length=64, unique=True)
    # Encrypted at rest (FIELD_ENCRYPTION_KEY); never shown back, only masked.
    api_key = EncryptedTextField(_("Ozon Api-Key"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("A paused account's schedules run nothing; its data stays.")
    )
    showcase_source = models.CharField(
        _("showcase price source"),
        max_length=32,
        choices=ShowcaseSource.choices,
        default=ShowcaseSource.OZON_SELLER_PRICE,
    )
    front_price_api_url = models.URLField(_("Front Price API URL"), blank=True)
    front_price_seller_id = models.CharField(_("Front Price API seller id"), max_length=64, blank=True)
    promo_guard = models.BooleanField(
        _("promo guard"),
        default=True,
        help_text=_("Keep Ozon promotions and strategies from pulling the price under MRPC."),
    )
    promo_guard_mode = models.CharField(
        _("promotion guard"),
        max_length=16,
        choices=PromoGuardMode.choices,
        default=PromoGuardMode.REPORT,
        help_text=_("Promotions whose action price is under MRPC: ignore, report, or remove the SKU from them."),
    )
    discount_requests_mode = models.CharField(
        _("buyer discount requests"),
        max_length=32,
        choices=DiscountRequestsMode.choices,
        default=DiscountRequestsMode.MANUAL,
    )
    discount_decline_comment = models.CharField(
        _("comment when declining a discount request"),
        max_length=255,
        blank=True,
        default="Цена не может быть ниже минимальной розничной цены бренда.",
    )
    showcase_hold = models.BooleanField(
        _("hold the showcase price at MRPC"),
        default=False,
        help_text=_(
            "When Ozon's own discount pulls the showcase under MRPC, raise the seller price so the buyer "
            "sees MRPC (each SKU may override this)."
        ),
    )
    showcase_max_uplift = models.DecimalField(
        _("showcase hold: max uplift over MRPC, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    dry_run = models.BooleanField(_("dry run"), default=False, help_text=_("Plan price changes, send nothing."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Ozon account")
        verbose_name_plural = _("Ozon accounts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A named machine key for the REST API (SPEC §11): scopes, accounts, expiry, revocation, last use.

    Only a hash of the secret is stored (`ozonprice.services.api_secret_hash`);
    `prefix` (its first characters) finds the row without scanning every hash.
    The key migrated from the single shared secret has no prefix.
    """

    PREFIX_LENGTH = 8

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=16, blank=True, db_index=True, editable=False)
    secret_hash = models.CharField(_("secret (hash)"), max_length=255, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    all_accounts = models.BooleanField(_("every account"), default=False, help_text=_("Also the accounts added later."))
    accounts = models.ManyToManyField(Account, verbose_name=_("accounts"), related_name="api_keys", blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True, editable=False)
    created_by = models.CharField(_("created by"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskLease(models.Model):
    """A named lease so that no background task runs twice at the same time.

    A conditional UPDATE (compare-and-set) works the same on SQLite, which has
    no SELECT ... FOR UPDATE, and on PostgreSQL (docs/reliability.md §1.2).
    """

    name = models.CharField(primary_key=True, max_length=100)
    owner = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField()
    acquired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def acquire(cls, name: str, *, ttl: timedelta) -> str | None:
        """Take the lease; return its token, or None while another run holds it."""
        now = timezone.now()
        cls.objects.get_or_create(name=name, defaults={"locked_until": now - timedelta(seconds=1)})
        token = uuid.uuid4().hex
        won = cls.objects.filter(name=name, locked_until__lte=now).update(
            owner=token, locked_until=now + ttl, acquired_at=now
        )
        return token if won == 1 else None

    @classmethod
    def renew(cls, name: str, token: str, *, ttl: timedelta) -> bool:
        """Extend the lease by `ttl` from now; False if it ran out or another run holds it."""
        now = timezone.now()
        return bool(cls.objects.filter(name=name, owner=token, locked_until__gt=now).update(locked_until=now + ttl))

    @classmethod
    def release(cls, name: str, token: str) -> bool:
        """Give the lease back; only its owner can.

        The owner is cleared, so a renewal still in flight finds no owner and
        cannot take the lease back.
        """
        return bool(cls.objects.filter(name=name, owner=token).update(owner="", locked_until=timezone.now()))


class TaskRun(models.Model):
    """The last whole run of a background task, written by the run itself (`ozonprice.runs`).

    django-q2's task table only knows runs its cluster made; a sync or a price
    run started from the command line (as `make run` does) is recorded here too,
    so the dashboard shows the real last run.
    """

    name = models.CharField(_("task"), primary_key=True, max_length=100)
    started_at = models.DateTimeField(_("started"))
    stopped_at = models.DateTimeField(_("stopped"))
    success = models.BooleanField(_("success"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")

    def __str__(self) -> str:
        return self.name

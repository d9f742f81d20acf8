"""One row per Ozon product, keyed by its account and Ozon's `product_id`.

Columns under "owned by sync" are overwritten by every catalogue sync; the
manager's columns (MRPC, discount, active) are never touched by it.
"""

from decimal import Decimal
from typing import TypedDict

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class _PriceOptions(TypedDict):
    # Typed so that `**PRICE` type-checks against DecimalField's keyword arguments; `null=True` is
    # written at each field so that the django-stubs plugin types the field as `Decimal | None`.
    max_digits: int
    decimal_places: int


PRICE: _PriceOptions = {"max_digits": 12, "decimal_places": 2}


class Sku(models.Model):
    # --- identity (owned by sync) ---
    account = models.ForeignKey(
        "ozonprice.Account",
        verbose_name=_("account"),
        related_name="skus",
        on_delete=models.PROTECT,
    )
    # Unique per account (Meta.constraints): two accounts may sell under the same ids.
    product_id = models.BigIntegerField(_("product id"))
    offer_id = models.CharField(_("article"), max_length=255)
    sku = models.BigIntegerField(_("Ozon SKU"), null=True, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=500, blank=True)
    product_url = models.URLField(_("product page"), max_length=300, blank=True)

    # --- prices on Ozon (owned by sync) ---
    price = models.DecimalField(_("price"), **PRICE, null=True, blank=True)
    old_price = models.DecimalField(_("old price"), **PRICE, null=True, blank=True)
    min_price = models.DecimalField(_("min price"), **PRICE, null=True, blank=True)
    marketing_seller_price = models.DecimalField(
        _("seller's promo price"),
        help_text=_("Ozon marketing_seller_price: an upper bound of the showcase price."),
        **PRICE,
        null=True,
        blank=True,
    )
    currency_code = models.CharField(_("currency"), max_length=3, default="RUB")
    # Bumped each time this app records prices it sent (or saw Ozon apply). A sync
    # overwrites PRICE_FIELDS only where it is unchanged since the sync read it, so
    # a sync that read Ozon before maintenance sent never writes older prices back.
    price_version = models.BigIntegerField(_("price version"), default=0, editable=False)

    # --- stock and state (owned by sync) ---
    available = models.BooleanField(_("in stock"), default=False)
    stock_present = models.IntegerField(_("stock"), default=0)
    stock_reserved = models.IntegerField(_("reserved"), default=0)
    archived = models.BooleanField(_("archived"), default=False)
    visible = models.BooleanField(_("visible"), default=True)
    status = models.CharField(_("Ozon status"), max_length=64, blank=True)
    images = models.JSONField(_("images"), default=list, blank=True)
    primary_image = models.URLField(_("primary image"), max_length=1000, blank=True)
    color_image = models.URLField(_("color image"), max_length=1000, blank=True)
    missing_since = models.DateTimeField(
        _("missing from Ozon since"),
        null=True,
        blank=True,
        help_text=_("Ozon stopped returning this product; it is kept, never deleted."),
    )
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True, db_index=True)

    # --- showcase price (owned by the showcase fetch) ---
    front_price = models.DecimalField(_("showcase price"), **PRICE, null=True, blank=True)
    front_price_source = models.CharField(_("showcase source"), max_length=32, blank=True)
    front_price_timestamp = models.DateTimeField(_("showcase checked"), null=True, blank=True)

    # --- the manager's (never written by sync) ---
    mrpc = models.DecimalField(
        _("MRPC"), **PRICE, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))]
    )
    discount = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("89.99"))],
    )
    active = models.BooleanField(_("price maintenance on"), default=False, db_index=True)
    update_timestamp = models.DateTimeField(_("price updated"), null=True, blank=True)
    # None follows the runtime setting `showcase_hold`; True/False override it for this SKU.
    showcase_hold = models.BooleanField(
        _("hold the showcase price at MRPC"),
        null=True,
        blank=True,
        help_text=_("Empty: follow the global setting."),
    )

    # --- the storefront guard's (owned by guard_promotions) ---
    promo_timer_expires_at = models.DateTimeField(
        _("min-price timer expires"),
        null=True,
        blank=True,
        help_text=_("Ozon keeps automatic promotions above the min price only while this timer runs."),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The prices maintenance sends: a sync writes them under `price_version`.
    PRICE_FIELDS = ("price", "old_price", "min_price")
    # Columns a catalogue sync overwrites on an existing row.
    SYNC_FIELDS = (
        "offer_id",
        "sku",
        "name",
        "product_url",
        "price",
        "old_price",
        "min_price",
        "marketing_seller_price",
        "currency_code",
        "available",
        "stock_present",
        "stock_reserved",
        "archived",
        "visible",
        "status",
        "images",
        "primary_image",
        "color_image",
        "missing_since",
        "synced_at",
    )

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["-id"]
        constraints = [
            # Their indexes also serve every lookup by product id or article, which is always within an account.
            models.UniqueConstraint(fields=["account", "product_id"], name="sku_account_product_uniq"),
            models.UniqueConstraint(fields=["account", "offer_id"], name="sku_account_offer_uniq"),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0) & models.Q(discount__lt=90),
                name="sku_discount_0_to_90",
            ),
            models.CheckConstraint(
                condition=models.Q(mrpc__isnull=True) | models.Q(mrpc__gt=0),
                name="sku_mrpc_positive",
            ),
        ]
        indexes = [
            # Every API list is one account's, newest first: its page and its count read this index alone.
            models.Index(fields=["account", "-id"], name="sku_account_recent_idx"),
            # The admin's and the API's filters.
            models.Index(fields=["available", "-id"], name="sku_available_idx"),
            models.Index(fields=["archived", "-id"], name="sku_archived_idx"),
            models.Index(fields=["missing_since"], name="sku_missing_idx"),
            # "MRPC set" (IS NULL / IS NOT NULL) on the SKU list.
            models.Index(fields=["mrpc"], name="sku_mrpc_idx"),
            # "Showcase below MRPC": a partial index holds just those rows, newest first,
            # so the filtered list and the dashboard's count read only them.
            models.Index(
                fields=["-id"], condition=models.Q(front_price__lt=models.F("mrpc")), name="sku_below_mrpc_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} · {self.name}" if self.name else self.offer_id

"""One row per image push: what was asked, what Ozon answered, what Ozon holds afterwards."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PushStatus(models.TextChoices):
    # validated → sent → imported | failed | skipped; refused input goes straight to failed.
    VALIDATED = "validated", _("validated")
    SENT = "sent", _("sent to Ozon")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped (Ozon already holds these pictures)")


class PushSource(models.TextChoices):
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    COMMAND = "command", _("command")


FINAL_STATUSES = (PushStatus.IMPORTED, PushStatus.FAILED, PushStatus.SKIPPED)


class ImagePush(models.Model):
    """A request to replace a product's pictures on Ozon, and its outcome.

    Never holds Ozon credentials: a key sent with the request is used for the
    calls and forgotten.
    """

    # `sku`, not `product`: Ozon's `product_id` is a column of its own (the product may be unknown locally).
    sku = models.ForeignKey(
        "catalog.Sku",
        verbose_name=_("SKU"),
        related_name="image_pushes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty when the product is not in the local catalogue."),
    )
    product_id = models.BigIntegerField(_("product id"), null=True, blank=True, db_index=True)
    offer_id = models.CharField(_("article"), max_length=255, blank=True)
    account = models.ForeignKey(
        "ozonprice.Account",
        verbose_name=_("account"),
        related_name="image_pushes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty when the request's credentials match no account here."),
    )

    # --- the request ---
    images = models.JSONField(_("requested images"), default=list, blank=True)
    primary_image = models.CharField(_("requested primary image"), max_length=2000, blank=True)
    color_image = models.CharField(_("requested color image"), max_length=2000, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=PushSource.choices)
    requested_by = models.CharField(_("who"), max_length=150, blank=True)

    # --- Ozon's answer ---
    status = models.CharField(_("status"), max_length=16, choices=PushStatus.choices, db_index=True)
    task_id = models.BigIntegerField(_("Ozon task id"), null=True, blank=True)
    result = models.JSONField(
        _("Ozon's item result"), null=True, blank=True, help_text=_("The item as /v1/product/import/info reported it.")
    )
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("Validation problems or Ozon's item errors.")
    )
    error = models.TextField(_("error"), blank=True)
    current_images = models.JSONField(
        _("images on Ozon afterwards"), null=True, blank=True, help_text=_("Main image first; empty if not read.")
    )
    current_color_image = models.CharField(_("color image on Ozon afterwards"), max_length=2000, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("image push")
        verbose_name_plural = _("image pushes")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The SKU page's inline: a product's pushes, newest first.
            models.Index(fields=["sku", "-created_at"], name="imagepush_product_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id or self.product_id or '?'}: {self.get_status_display()}"

    @property
    def ok(self) -> bool:
        return self.status in (PushStatus.IMPORTED, PushStatus.SKIPPED) and self.current_images is not None

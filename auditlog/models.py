"""Every inbound API request and every outbound call, secrets redacted."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INBOUND = "in", _("inbound")
    OUTBOUND = "out", _("outbound")


class ApiLogEntry(models.Model):
    timestamp = models.DateTimeField(_("time"), db_index=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    service = models.CharField(_("service"), max_length=32, help_text=_("ozon, front_price, telegram, api…"))
    endpoint = models.CharField(_("endpoint"), max_length=500)
    method = models.CharField(_("method"), max_length=10)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    response_time = models.FloatField(_("response time, s"), null=True, blank=True)
    products_count = models.PositiveIntegerField(_("products"), null=True, blank=True)
    success = models.BooleanField(_("success"), default=False)
    error_message = models.TextField(_("error"), blank=True)
    request_payload = models.TextField(_("request"), blank=True)
    response_payload = models.TextField(_("response"), blank=True)
    # The task run that made this call (ozonprice.runs): the same id is on the run's log lines.
    run_id = models.CharField(_("run id"), max_length=32, blank=True, db_index=True)
    # Whose call it was: the Ozon account of an outbound call, the API key of an inbound one.
    account = models.ForeignKey(
        "ozonprice.Account",
        verbose_name=_("account"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    api_key_name = models.CharField(_("API key"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API log entry")
        verbose_name_plural = _("API log")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["success", "-timestamp"], name="apilog_success_idx"),
            models.Index(fields=["service", "-timestamp"], name="apilog_service_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} → {self.status_code}"

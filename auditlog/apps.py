from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditlogConfig(AppConfig):
    name = "auditlog"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # The core's HTTP seam announces each outgoing call; the audit log is the one that keeps it.
        from auditlog.services import outbound_call_record
        from ozonprice.clients.http import outbound_call

        outbound_call.connect(outbound_call_record, dispatch_uid="auditlog.outbound_call_record")

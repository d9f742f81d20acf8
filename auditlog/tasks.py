"""django-q2 task function for audit-log retention."""

from django.conf import settings

from auditlog.services import api_logs_purge
from ozonprice.schedule import once_per_slot


@once_per_slot("purge_logs")
def purge_logs() -> str:
    deleted = api_logs_purge(older_than_days=settings.AUDIT_RETENTION_DAYS)
    return f"purged {deleted} audit rows older than {settings.AUDIT_RETENTION_DAYS} days"

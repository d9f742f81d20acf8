from django.conf import settings
from django.core.management.base import BaseCommand

from auditlog.services import api_logs_purge
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = "Delete audit-log rows older than the retention period (AUDIT_RETENTION_DAYS, default 30)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None)

    @task_run("purge_logs")
    def handle(self, *args, days=None, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        self.stdout.write(f"purged {api_logs_purge(older_than_days=days)} audit rows older than {days} days")

import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.services import sync as services
from catalog.services.sync import sku_sync_all
from ozonprice.account_commands import account_argument_add, accounts_run
from ozonprice.runs import task_run


class _SummaryPrintedHere(logging.Filter):
    """Drops the sync's own summary line: the command prints it (stdout is its interface), and a
    terminal showed both (the log's console handler writes to stderr). Other records pass.

    Only for text logs, read by a person at the terminal: with LOG_FORMAT=json the line is a
    log shipper's record of the run (its run id and counts), so it stays.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        return not (record.msg == "%s" and isinstance(args, tuple) and args and str(args[0]).startswith("sync "))


class Command(BaseCommand):
    help = (
        "Sync the whole catalogue from Ozon (products, prices, stocks) and print a one-line summary per account "
        "(every active account unless --account names some)."
    )

    def add_arguments(self, parser) -> None:
        account_argument_add(parser)

    @task_run("ozon_sync")
    def handle(self, *args, accounts=None, **options) -> None:
        logger, summary_filter = logging.getLogger(services.__name__), _SummaryPrintedHere()
        # JSON logs keep the line: it is a log shipper's record of the run (run id, counts).
        filtered = settings.LOG_FORMAT != "json"
        if filtered:
            logger.addFilter(summary_filter)
        try:
            accounts_run(self, accounts, lambda account: sku_sync_all(account=account))
        finally:
            if filtered:
                logger.removeFilter(summary_filter)

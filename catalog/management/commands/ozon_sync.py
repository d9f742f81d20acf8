import logging

from django.core.management.base import BaseCommand, CommandError

from catalog import services
from catalog.services import sku_sync_all


class Command(BaseCommand):
    help = "Sync the whole catalogue from Ozon (products, prices, stocks) and print a one-line summary."

    def handle(self, *args, **options) -> None:
        result = sku_sync_all()
        # The sync logs its summary itself; printing it too showed it twice on a terminal.
        # It is printed only where no log handler shows it.
        logged = _summary_is_logged(logging.INFO if result.ok else logging.ERROR)
        if not result.ok:
            raise CommandError("catalogue sync failed (see the log line above)" if logged else result.summary())
        if not logged:
            self.stdout.write(result.summary())


def _summary_is_logged(level: int) -> bool:
    logger = logging.getLogger(services.__name__)
    return logger.isEnabledFor(level) and logger.hasHandlers()

from django.core.management.base import BaseCommand, CommandError

from catalog.services import sku_sync_all
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = "Sync the whole catalogue from Ozon (products, prices, stocks) and print a one-line summary."

    @task_run("ozon_sync")
    def handle(self, *args, **options) -> None:
        result = sku_sync_all()
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

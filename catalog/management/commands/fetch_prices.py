from django.core.management.base import BaseCommand, CommandError

from catalog.services.showcase import showcase_prices_fetch
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = "Fetch showcase (buyer's) prices from the configured source and print a one-line summary."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")

    @task_run("fetch_prices")
    def handle(self, *args, product_ids=None, **options) -> None:
        result = showcase_prices_fetch(product_ids=product_ids)
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

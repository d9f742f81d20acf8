from django.core.management.base import BaseCommand, CommandError

from ozonprice.runs import task_run
from pricing.services.verify import price_changes_verify


class Command(BaseCommand):
    help = "Check sent price changes on Ozon and on the showcase; print a one-line summary."

    @task_run("verify_prices")
    def handle(self, *args, **options) -> None:
        result = price_changes_verify()
        for failure in result.failures:
            self.stderr.write(f"{failure['offer_id']} ({failure['product_id']}): {failure['error']}")
        if not result.ok or result.skipped:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

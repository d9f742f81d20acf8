from django.core.management.base import BaseCommand, CommandError

from ozonprice.runs import task_run
from pricing.models import Reason
from pricing.services.maintain import prices_maintain


class Command(BaseCommand):
    help = "Send the price changes active SKUs need; --dry-run prints the plan and sends nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")

    @task_run("maintain_prices")
    def handle(self, *args, dry_run: bool, product_ids=None, **options) -> None:
        result = prices_maintain(product_ids=product_ids, dry_run=dry_run or None, reason=Reason.MANUAL, actor="cli")
        if dry_run:
            for row in result.plan:
                self.stdout.write(
                    f"{row['offer_id']} ({row['product_id']}): price {row['price']} → {row['target_price']}, "
                    f"old_price {row['old_price']} → {row['target_old_price']}, "
                    f"shown discount {row['shown_discount']}%"
                )
        for error in result.errors:
            self.stderr.write(f"{error['product_id']}: {error['error']}")
        if not result.ok or result.skipped:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

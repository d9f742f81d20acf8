from django.core.management.base import BaseCommand, CommandError

from ozonprice.accounts import AccountError, accounts_named
from ozonprice.runs import task_run
from pricing.models import Reason
from pricing.services.maintain import prices_maintain


class Command(BaseCommand):
    help = (
        "Send the price changes active SKUs need, account by account (every active account, or those named); "
        "--dry-run prints the plan and sends nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")
        parser.add_argument(
            "--account", action="append", dest="accounts", help="id, name or Client-Id; repeatable; none: every active"
        )

    @task_run("maintain_prices")
    def handle(self, *args, dry_run: bool, product_ids=None, accounts=None, **options) -> None:
        try:
            chosen = accounts_named(accounts)
        except AccountError as error:
            raise CommandError(str(error)) from None
        if not chosen:
            self.stdout.write("No active account: nothing to maintain.")
            return
        failed = []
        for account in chosen:
            # One account's failure never stops the next one's run; the exit status reports it.
            result = prices_maintain(
                account=account, product_ids=product_ids, dry_run=dry_run or None, reason=Reason.MANUAL, actor="cli"
            )
            if dry_run:
                for row in result.plan:
                    self.stdout.write(
                        f"{account.name}: {row['offer_id']} ({row['product_id']}): "
                        f"price {row['price']} → {row['target_price']}, "
                        f"old_price {row['old_price']} → {row['target_old_price']}, "
                        f"shown discount {row['shown_discount']}%"
                    )
            for problem in result.errors:
                self.stderr.write(f"{account.name}: {problem['product_id']}: {problem['error']}")
            line = f"{account.name}: {result.summary()}"
            if not result.ok or result.skipped:
                self.stderr.write(line)
                failed.append(line)
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError("; ".join(failed))

from django.core.management.base import BaseCommand

from ozonprice.account_commands import account_argument_add, accounts_run
from ozonprice.models import Account
from ozonprice.runs import task_run
from pricing.models import Reason
from pricing.services.maintain import prices_maintain
from pricing.services.maintain_result import MaintainResult


class Command(BaseCommand):
    help = (
        "Send the price changes active SKUs need, account by account (every active account, or those named); "
        "--dry-run prints the plan and sends nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")
        account_argument_add(parser)

    @task_run("maintain_prices")
    def handle(self, *args, dry_run: bool, product_ids=None, accounts=None, **options) -> None:
        def report(account: Account, result: MaintainResult) -> None:
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

        accounts_run(
            self,
            accounts,
            lambda account: prices_maintain(
                account=account, product_ids=product_ids, dry_run=dry_run or None, reason=Reason.MANUAL, actor="cli"
            ),
            report=report,
        )

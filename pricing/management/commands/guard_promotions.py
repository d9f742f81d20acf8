from django.core.management.base import BaseCommand

from ozonprice.account_commands import account_argument_add, accounts_run
from ozonprice.models import Account
from ozonprice.runs import task_run
from pricing.models import Reason
from pricing.services.guard import GuardResult
from pricing.services.promotions import promotions_guard


class Command(BaseCommand):
    help = (
        "Guard the storefront now, account by account (every active account, or those named): promotions under "
        "MRPC (as the account's promo_guard_mode says), min-price timers and buyer discount requests; --dry-run "
        "reports and changes nothing on Ozon."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")
        account_argument_add(parser)

    @task_run("guard_promotions")
    def handle(self, *args, dry_run: bool, product_ids=None, accounts=None, **options) -> None:
        def report(account: Account, result: GuardResult) -> None:
            for problem in result.errors:
                self.stderr.write(f"{account.name}: {problem['product_id'] or '-'}: {problem['error']}")

        accounts_run(
            self,
            accounts,
            lambda account: promotions_guard(
                account=account, product_ids=product_ids, dry_run=dry_run, reason=Reason.MANUAL, actor="cli"
            ),
            report=report,
        )

from django.core.management.base import BaseCommand

from ozonprice.account_commands import account_argument_add, accounts_run
from ozonprice.models import Account
from ozonprice.runs import task_run
from pricing.services.verify import VerifyResult, price_changes_verify


class Command(BaseCommand):
    help = (
        "Check sent price changes on Ozon and on the showcase, account by account (every active account, or those "
        "named); print a one-line summary per account."
    )

    def add_arguments(self, parser) -> None:
        account_argument_add(parser)

    @task_run("verify_prices")
    def handle(self, *args, accounts=None, **options) -> None:
        def report(account: Account, result: VerifyResult) -> None:
            for failure in result.failures:
                self.stderr.write(
                    f"{account.name}: {failure['offer_id']} ({failure['product_id']}): {failure['error']}"
                )

        accounts_run(self, accounts, lambda account: price_changes_verify(account=account), report=report)

from django.core.management.base import BaseCommand, CommandError

from ozonprice.accounts import AccountError, accounts_named
from ozonprice.runs import task_run
from pricing.services.verify import price_changes_verify


class Command(BaseCommand):
    help = (
        "Check sent price changes on Ozon and on the showcase, account by account (every active account, or those "
        "named); print a one-line summary per account."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--account", action="append", dest="accounts", help="id, name or Client-Id; repeatable; none: every active"
        )

    @task_run("verify_prices")
    def handle(self, *args, accounts=None, **options) -> None:
        try:
            chosen = accounts_named(accounts)
        except AccountError as error:
            raise CommandError(str(error)) from None
        if not chosen:
            self.stdout.write("No active account: nothing to verify.")
            return
        failed = []
        for account in chosen:
            result = price_changes_verify(account=account)
            for failure in result.failures:
                self.stderr.write(
                    f"{account.name}: {failure['offer_id']} ({failure['product_id']}): {failure['error']}"
                )
            line = f"{account.name}: {result.summary()}"
            if not result.ok or result.skipped:
                self.stderr.write(line)
                failed.append(line)
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError("; ".join(failed))

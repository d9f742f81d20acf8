from django.core.management.base import BaseCommand, CommandError

from ozonprice.accounts import AccountError, accounts_named
from ozonprice.runs import task_run
from pricing.models import Reason
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
        parser.add_argument(
            "--account", action="append", dest="accounts", help="id, name or Client-Id; repeatable; none: every active"
        )

    @task_run("guard_promotions")
    def handle(self, *args, dry_run: bool, product_ids=None, accounts=None, **options) -> None:
        try:
            chosen = accounts_named(accounts)
        except AccountError as error:
            raise CommandError(str(error)) from None
        if not chosen:
            self.stdout.write("No active account: nothing to guard.")
            return
        failed = []
        for account in chosen:
            result = promotions_guard(
                account=account, product_ids=product_ids, dry_run=dry_run, reason=Reason.MANUAL, actor="cli"
            )
            for problem in result.errors:
                self.stderr.write(f"{account.name}: {problem['product_id'] or '-'}: {problem['error']}")
            line = f"{account.name}: {result.summary()}"
            if not result.ok or result.skipped:
                self.stderr.write(line)
                failed.append(line)
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError("; ".join(failed))

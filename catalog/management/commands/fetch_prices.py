from django.core.management.base import BaseCommand

from catalog.services.showcase import showcase_prices_fetch
from ozonprice.account_commands import account_argument_add, accounts_run
from ozonprice.runs import task_run


class Command(BaseCommand):
    help = (
        "Fetch showcase (buyer's) prices from each account's configured source and print a one-line summary "
        "per account (every active account unless --account names some)."
    )

    def add_arguments(self, parser) -> None:
        account_argument_add(parser)
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")

    @task_run("fetch_prices")
    def handle(self, *args, accounts=None, product_ids=None, **options) -> None:
        accounts_run(self, accounts, lambda account: showcase_prices_fetch(account=account, product_ids=product_ids))

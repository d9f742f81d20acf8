from django.core.management.base import BaseCommand, CommandError

from ozonprice.runs import task_run
from pricing.models import Reason
from pricing.services.promotions import promotions_guard


class Command(BaseCommand):
    help = (
        "Guard the storefront now: promotions under MRPC (as promo_guard_mode says), min-price timers and buyer "
        "discount requests; --dry-run reports and changes nothing on Ozon."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--product-id", type=int, action="append", dest="product_ids", help="repeatable")

    @task_run("guard_promotions")
    def handle(self, *args, dry_run: bool, product_ids=None, **options) -> None:
        result = promotions_guard(product_ids=product_ids, dry_run=dry_run, reason=Reason.MANUAL, actor="cli")
        for error in result.errors:
            self.stderr.write(f"{error['product_id'] or '-'}: {error['error']}")
        if not result.ok or result.skipped:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())

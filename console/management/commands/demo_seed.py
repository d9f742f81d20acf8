"""`manage.py demo_seed`: the `make run` demo's first look (see console/demo.py)."""

from django.core.management.base import BaseCommand

from console.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Seed the demo once, after the first sync against the Ozon sandbox, in each active account: a dozen SKUs "
        "with MRPC and maintenance on, a change held for approval, and the real maintenance, verification and "
        "storefront guard runs. Leaves an account alone where any SKU has an MRPC already. "
        "For the demo database only."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_seed().summary())

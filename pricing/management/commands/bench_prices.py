"""Benchmark price maintenance against the sandbox, in a throw-away database.

Syncs N products, makes every one active with an MRPC 10 % above its price
and a 25 % shown discount, then times two maintenance runs: every price
changing, then none. Prints import calls against ceil(changed/1000), DB
queries, wall seconds and peak memory.
"""

import math
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import F
from django.db.models.functions import Round

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.bench import SANDBOX_API_KEY, SANDBOX_CLIENT_ID, QueryCounter, peak_rss_mb, sandbox, throwaway_database
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.models import Account
from pricing.services.maintain import prices_maintain

MRPC_OVER_PRICE = Decimal("1.1")
DISCOUNT = Decimal("25")


class Command(BaseCommand):
    help = "Benchmark price maintenance for N active SKUs against the local sandbox (a test double of Ozon)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--products", type=int, default=10_000)
        parser.add_argument("--latency-ms", type=int, default=0, help="sandbox latency per call")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--concurrency", type=int, default=None, help="imports in flight (default: OZON_CONCURRENCY)"
        )

    def handle(self, *args, products: int, latency_ms: int, seed: int, concurrency: int | None, **options) -> None:
        if products < 1:
            raise CommandError("--products must be at least 1")
        with sandbox(products=products, seed=seed, latency_ms=latency_ms) as url, throwaway_database():
            client = OzonClient(base_url=url, client_id=SANDBOX_CLIENT_ID, api_key=SANDBOX_API_KEY)
            # The sandbox's account: maintenance runs one account's SKUs.
            account, _created = Account.objects.get_or_create(
                client_id=SANDBOX_CLIENT_ID, defaults={"name": "Sandbox", "api_key": SANDBOX_API_KEY}
            )
            synced = sku_sync_all(client=client)
            if not synced.ok:
                raise CommandError(synced.summary())
            # Every SKU maintained (the benchmark skips the activation checks it does not measure).
            Sku.objects.update(
                account=account,
                mrpc=Round(F("price") * MRPC_OVER_PRICE),
                discount=DISCOUNT,
                active=True,
                available=True,
                archived=False,
                front_price=F("price"),
            )
            if connection.vendor == "postgresql":
                # One UPDATE just made every SKU active: without fresh statistics PostgreSQL still
                # thinks them few and pages the candidates through a bitmap scan and a sort of the
                # whole rest of the catalogue per page. A real catalogue's statistics are current.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            active = Sku.objects.filter(active=True).count()
            self.stdout.write(
                f"bench_prices: {active} active SKUs, sandbox latency {latency_ms} ms, database {connection.vendor}, "
                f"{concurrency or settings.OZON_CONCURRENCY} imports in flight"
            )
            for label in ("maintenance, every price changing", "maintenance, nothing changing"):
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = prices_maintain(
                        account=account,
                        client=OzonClient(
                            base_url=url,
                            client_id=SANDBOX_CLIENT_ID,
                            api_key=SANDBOX_API_KEY,
                            rate_limit=settings.OZON_RATE_LIMIT,
                            concurrency=settings.OZON_CONCURRENCY if concurrency is None else concurrency,
                        ),
                    )
                seconds = time.perf_counter() - started
                if not result.ok:
                    raise CommandError(result.summary())
                changed = result.sent + result.rejected
                self.stdout.write(f"\n{label}")
                self.stdout.write(
                    f"  changes sent       {result.sent} (rejected {result.rejected}, "
                    f"held for approval {result.held}, unchanged {result.unchanged})"
                )
                self.stdout.write(
                    f"  import calls       {result.import_calls} "
                    f"(lower bound ceil({changed}/{PAGE_LIMIT}) = {math.ceil(changed / PAGE_LIMIT)})"
                )
                self.stdout.write(f"  DB queries         {counter.count}")
                self.stdout.write(f"  wall seconds       {seconds:.1f}")
            self.stdout.write(f"peak memory          {peak_rss_mb():.0f} MB RSS high-water mark")

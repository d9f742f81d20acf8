"""`make bench`: every hot path at catalogue sizes, against the sandbox, as one table.

For each size: catalogue sync, showcase fetch, maintenance with every price
changing and with none, verification — Ozon calls against the lower bound,
DB queries, wall seconds, peak memory — then `GET /api/products` p50/p95 and
the admin changelist p50 at that size. Each size runs in a fresh throw-away
database (SQLite file, or a test database on PostgreSQL).
"""

import math
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import F
from django.db.models.functions import Round
from django.test import Client
from django.test.utils import override_settings

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.bench import SANDBOX_API_KEY, SANDBOX_CLIENT_ID, QueryCounter, peak_rss_mb, sandbox, throwaway_database
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.services import api_secret_generate
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify

API_REQUESTS, CHANGELIST_REQUESTS = 200, 20


class Command(BaseCommand):
    help = "Benchmark sync, showcase fetch, maintenance, verification and page latency (sandbox, throw-away DB)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sizes", default="10000,100000", help="comma-separated catalogue sizes")
        parser.add_argument("--latency-ms", type=int, default=0)

    def handle(self, *args, sizes: str, latency_ms: int, **options) -> None:
        counts = [int(n) for n in sizes.split(",") if n.strip()]
        if not counts or min(counts) < 1:
            raise CommandError("--sizes takes positive numbers, e.g. 10000,100000")
        self.stdout.write(
            f"ozonprice benchmark · database {connection.vendor} · sandbox latency {latency_ms} ms · "
            f"client rate limit {settings.OZON_RATE_LIMIT:g}/s\n"
        )
        self.stdout.write("| SKUs | step | Ozon calls (lower bound) | DB queries | wall s | peak RSS MB |")
        self.stdout.write("|---:|---|---:|---:|---:|---:|")
        latencies = []
        for n in counts:
            latencies.append((n, *self.run_size(n, latency_ms)))
        self.stdout.write("\n| SKUs | GET /api/products p50 ms | p95 ms | admin changelist p50 ms |")
        self.stdout.write("|---:|---:|---:|---:|")
        for n, api_p50, api_p95, admin_p50 in latencies:
            self.stdout.write(f"| {n:,} | {api_p50:.1f} | {api_p95:.1f} | {admin_p50:.1f} |")

    def run_size(self, n: int, latency_ms: int) -> tuple[float, float, float]:
        with sandbox(products=n, seed=1, latency_ms=latency_ms) as url, throwaway_database():

            def client() -> OzonClient:
                return OzonClient(base_url=url, client_id=SANDBOX_CLIENT_ID, api_key=SANDBOX_API_KEY)

            def step(label: str, action, bound):
                """Run one timed step; `bound` is the fewest Ozon calls possible (or a callable giving it after)."""
                ozon = client()
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = action(ozon)
                seconds = time.perf_counter() - started
                if not result.ok:
                    raise CommandError(f"{label}: {result.summary()}")
                calls = sum(ozon.calls.values())
                bound = bound() if callable(bound) else bound
                self.stdout.write(
                    f"| {n:,} | {label} | {calls} ({bound}) | {counter.count} | {seconds:.1f} | {peak_rss_mb():.0f} |"
                )
                return result

            pages = math.ceil(n / PAGE_LIMIT)

            def sync_bound() -> int:
                # Ozon's ALL leaves archived products out: they are a second pass of pages.
                archived = Sku.objects.filter(archived=True).count()
                return 4 * (math.ceil((n - archived) / PAGE_LIMIT) + math.ceil(archived / PAGE_LIMIT))

            step("sync", lambda ozon: sku_sync_all(client=ozon), sync_bound)
            if connection.vendor == "postgresql":
                # What autovacuum does after a bulk load; the pages below should not time a cold table.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE catalog_sku")
            step("showcase fetch", lambda ozon: showcase_prices_fetch(ozon=ozon), pages)
            Sku.objects.update(
                mrpc=Round(F("price") * Decimal("1.1")),
                discount=Decimal("25"),
                active=True,
                available=True,
                archived=False,
            )
            changed = step("maintenance, all changed", lambda ozon: prices_maintain(client=ozon), pages)
            step("maintenance, none changed", lambda ozon: prices_maintain(client=ozon), 0)
            sent_pages = math.ceil(changed.sent / PAGE_LIMIT)
            step("verification", lambda ozon: price_changes_verify(ozon=ozon), sent_pages)
            return (*self.api_latency(n), self.changelist_latency())

    def api_latency(self, n: int) -> tuple[float, float]:
        browser = Client(SERVER_NAME="localhost")
        key = api_secret_generate()
        pages = max(1, math.ceil(n / 50))
        timings = []
        with override_settings(API_THROTTLE_RATE="100000/min"):
            for i in range(API_REQUESTS):
                started = time.perf_counter()
                answer = browser.get(f"/api/products?page={1 + (i * 7919) % pages}", HTTP_X_API_KEY=key)
                timings.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    raise CommandError(f"GET /api/products answered {answer.status_code}")
        timings.sort()
        return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]

    def changelist_latency(self) -> float:
        admin = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-1")
        browser = Client(SERVER_NAME="localhost")
        browser.force_login(admin)
        timings = []
        for i in range(CHANGELIST_REQUESTS):
            query = ["", "?active__exact=1", "?available__exact=1", f"?p={i}"][i % 4]
            started = time.perf_counter()
            answer = browser.get(f"/admin/catalog/sku/{query}")
            timings.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise CommandError(f"the changelist answered {answer.status_code}")
        return statistics.median(timings)

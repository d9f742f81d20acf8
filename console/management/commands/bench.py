"""`make bench`: every hot path at catalogue sizes, against the sandbox, as one table.

For each size and each sandbox latency (`--latencies 0,150`: 150 ms is the real
API over the internet): catalogue sync, the showcase read from Ozon and from the
Front Price API, maintenance with every price changing and with none,
verification — calls against the lower bound, DB queries, wall seconds, the
sandbox's own processing seconds (its latency sleep left out), the rate floor
(calls / the configured rate limit: OZON_RATE_LIMIT, or FRONT_PRICE_RATE_LIMIT
for the Front Price API) and wall / floor, peak memory — then `GET /api/products`
p50/p95 and the admin changelist p50 at that size. Each size and latency runs in
a fresh throw-away database (SQLite file, or a test database on PostgreSQL).
Only the tables go to stdout (`make bench` tees them into docs/bench/).
`--accounts N` splits each size over N accounts and times each step one after the
other and at once (`console/bench_accounts.py`).
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
from console.bench_accounts import accounts_size_run
from ozonprice.bench import (
    FRONT_PAGE_SIZE,
    FRONT_SELLER_ID,
    QueryCounter,
    front_price_source,
    ozon_client,
    peak_rss_mb,
    sandbox,
    sandbox_stats,
    table_analyze,
    throwaway_database,
)
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.ozon import PAGE_LIMIT
from ozonprice.models import Account
from ozonprice.services import api_secret_generate
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify

API_REQUESTS, CHANGELIST_REQUESTS = 200, 20


class Command(BaseCommand):
    help = "Benchmark sync, showcase reads, maintenance, verification and page latency (sandbox, throw-away DB)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sizes", default="10000,100000", help="comma-separated catalogue sizes")
        parser.add_argument(
            "--latencies", default="0,150", help="comma-separated sandbox latencies in ms, one run of each step each"
        )
        parser.add_argument("--latency-ms", type=int, default=None, help="one latency only (overrides --latencies)")
        parser.add_argument(
            "--accounts",
            type=int,
            default=1,
            help=(
                "split each size evenly over this many Ozon accounts; each step runs for every account, "
                "one after the other and all at once (a row each)"
            ),
        )

    def handle(self, *args, sizes: str, latencies: str, latency_ms: int | None, accounts: int, **options) -> None:
        try:
            counts = [int(n) for n in sizes.split(",") if n.strip()]
            delays = [latency_ms] if latency_ms is not None else [int(ms) for ms in latencies.split(",") if ms.strip()]
        except ValueError:
            raise CommandError("--sizes and --latencies take comma-separated numbers, e.g. 10000,100000") from None
        if not counts or min(counts) < 1:
            raise CommandError("--sizes takes positive numbers, e.g. 10000,100000")
        if not delays or min(delays) < 0:
            raise CommandError("--latencies takes numbers ≥ 0, e.g. 0,150")
        if accounts < 1:
            raise CommandError("--accounts takes a number ≥ 1")
        if any(n % accounts for n in counts):
            raise CommandError(f"--sizes must split evenly over {accounts} accounts, e.g. {accounts * 5000}")
        self.stdout.write(
            f"ozonprice benchmark · database {connection.vendor} · Ozon rate limit {settings.OZON_RATE_LIMIT:g}/s, "
            f"concurrency {settings.OZON_CONCURRENCY} · Front Price rate limit {settings.FRONT_PRICE_RATE_LIMIT:g}/s, "
            f"concurrency {settings.FRONT_PRICE_CONCURRENCY}\n"
        )
        self.stdout.write(
            "| SKUs | latency ms | step | calls (lower bound) | DB queries | wall s | sandbox s "
            "| rate floor s | wall / floor | peak RSS MB |"
        )
        self.stdout.write("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        pages = []
        for n in counts:
            for i, delay in enumerate(delays):
                # The page latencies do not depend on the sandbox's: measured once a size.
                if accounts > 1:
                    measured = self.run_size_accounts(n, delay, accounts, pages=i == 0)
                else:
                    measured = self.run_size(n, delay, pages=i == 0)
                if measured is not None:
                    pages.append((n, *measured))
        self.stdout.write("\n| SKUs | GET /api/products p50 ms | p95 ms | admin changelist p50 ms |")
        self.stdout.write("|---:|---:|---:|---:|")
        for n, api_p50, api_p95, admin_p50 in pages:
            self.stdout.write(f"| {n:,} | {api_p50:.1f} | {api_p95:.1f} | {admin_p50:.1f} |")

    def run_size(self, n: int, latency_ms: int, *, pages: bool) -> tuple[float, float, float] | None:
        with sandbox(products=n, seed=1, latency_ms=latency_ms) as url, throwaway_database():

            def step(label: str, action, bound, *, client=None, rate: float | None = None):
                """Run one timed step; `bound` is the fewest calls possible (or a callable giving it after).

                The rate floor is the calls at the configured rate limit: no client can go faster.
                """
                client = client or ozon_client(url)
                rate = rate or settings.OZON_RATE_LIMIT
                counter = QueryCounter()
                served_before, busy_before = sandbox_stats(url)
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = action(client)
                seconds = time.perf_counter() - started
                served_after, busy_after = sandbox_stats(url)
                client.close()
                if not result.ok:
                    raise CommandError(f"{label}: {result.summary()}")
                calls = sum(client.calls.values())
                if served_after - served_before != calls + 1:  # + 1: the stats request before
                    raise CommandError(f"{label}: the sandbox answered {served_after - served_before - 1} of {calls}")
                bound = bound() if callable(bound) else bound
                floor = calls / rate
                ratio = f"{seconds / floor:.1f}" if floor else "—"
                self.stdout.write(
                    f"| {n:,} | {latency_ms} | {label} | {calls} ({bound}) | {counter.count} | {seconds:.1f} "
                    f"| {busy_after - busy_before:.1f} | {floor:.1f} | {ratio} | {peak_rss_mb():.0f} |"
                )
                return result

            ozon_pages = math.ceil(n / PAGE_LIMIT)

            def sync_bound() -> int:
                # Ozon's ALL leaves archived products out: they are a second pass of pages.
                archived = Sku.objects.filter(archived=True).count()
                return 4 * (math.ceil((n - archived) / PAGE_LIMIT) + math.ceil(archived / PAGE_LIMIT))

            step("sync", lambda ozon: sku_sync_all(client=ozon), sync_bound)
            if connection.vendor == "postgresql":
                table_analyze(Sku)
            step("showcase read, Ozon", lambda ozon: showcase_prices_fetch(ozon=ozon), ozon_pages)
            # The storefront shows what is neither archived nor removed, FRONT_PAGE_SIZE a page.
            shown = Sku.objects.filter(archived=False, missing_since__isnull=True).count()
            front = FrontPriceClient.for_seller(base_url=url, seller_id=FRONT_SELLER_ID)
            with front_price_source(url), override_settings(OUTBOUND_ALLOW_PRIVATE=True):
                step(
                    "showcase read, Front Price API",
                    lambda client: showcase_prices_fetch(front=client),
                    math.ceil(shown / FRONT_PAGE_SIZE),
                    client=front,
                    rate=settings.FRONT_PRICE_RATE_LIMIT,
                )
            Sku.objects.update(
                mrpc=Round(F("price") * Decimal("1.1")),
                discount=Decimal("25"),
                active=True,
                available=True,
                archived=False,
            )
            if connection.vendor == "postgresql":
                # One UPDATE switched every SKU on: statistics as autoanalyze would leave them, not stale.
                table_analyze(Sku)
            changed = step("maintenance, all changing", lambda ozon: prices_maintain(client=ozon), ozon_pages)
            step("maintenance, none changing", lambda ozon: prices_maintain(client=ozon), 0)
            sent_pages = math.ceil(changed.sent / PAGE_LIMIT)
            step("verification", lambda ozon: price_changes_verify(ozon=ozon), sent_pages)
            if not pages:
                return None
            if connection.vendor == "postgresql":
                # Maintenance and verification rewrote every row twice: without this the pages below would
                # time the bench's own dead tuples and stale statistics, not a settled table (autovacuum's job).
                table_analyze(Sku)
            return (*self.api_latency(n), self.changelist_latency(n))

    def run_size_accounts(self, n: int, latency_ms: int, accounts: int, *, pages: bool):
        """Each step one after the other, then at once, each way in a fresh sandbox and database; the two
        ways' rows side by side, step by step. The page latencies: in the first way's database."""
        measure = (lambda: (*self.api_latency(n, accounts), self.changelist_latency(n))) if pages else None
        one_by_one, measured = accounts_size_run(n, latency_ms, accounts=accounts, concurrent=False, pages=measure)
        at_once, _ = accounts_size_run(n, latency_ms, accounts=accounts, concurrent=True)
        for first, second in zip(one_by_one, at_once, strict=True):
            self.stdout.write(first)
            self.stdout.write(second)
        return measured

    def api_latency(self, n: int, accounts: int = 1) -> tuple[float, float]:
        """p50 and p95 of the product list's pages; with several accounts, each account's list in turn
        (a list names its account then: a mix of them is a 400)."""
        browser = Client(SERVER_NAME="localhost")
        key = api_secret_generate()
        pages = max(1, math.ceil(n / accounts / 50))
        ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)) if accounts > 1 else []
        timings = []
        with override_settings(API_THROTTLE_RATE="100000/min"):
            for i in range(API_REQUESTS):
                named = f"&account={ids[i % len(ids)]}" if ids else ""
                started = time.perf_counter()
                answer = browser.get(f"/api/products?page={1 + (i * 7919) % pages}{named}", HTTP_X_API_KEY=key)
                timings.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    raise CommandError(f"GET /api/products answered {answer.status_code}")
        timings.sort()
        return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]

    def changelist_latency(self, n: int) -> float:
        admin = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-1")
        browser = Client(SERVER_NAME="localhost")
        browser.force_login(admin)
        timings = []
        for i in range(CHANGELIST_REQUESTS):
            # Pages that exist at this size (the admin's 100 a page): a page past the end redirects.
            query = ["", "?active__exact=1", "?available__exact=1", f"?p={i % math.ceil(n / 100)}"][i % 4]
            started = time.perf_counter()
            answer = browser.get(f"/admin/catalog/sku/{query}")
            timings.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise CommandError(f"the changelist answered {answer.status_code}")
        return statistics.median(timings)

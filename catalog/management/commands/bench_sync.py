"""Benchmark the catalogue sync against the sandbox, in a throw-away database.

Prints, for a first sync (every product new) and a second one (every product
known): products synced, Ozon calls per endpoint against the lower bound
(ceil(N/1000) per endpoint), DB queries, wall seconds and peak memory.
"""

import math
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalog.services.sync import sku_sync_all
from ozonprice.bench import SANDBOX_API_KEY, SANDBOX_CLIENT_ID, QueryCounter, peak_rss_mb, sandbox, throwaway_database
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient

ENDPOINTS = ("/v3/product/list", "/v3/product/info/list", "/v5/product/info/prices", "/v4/product/info/stocks")


class Command(BaseCommand):
    help = "Benchmark the catalogue sync of N products against the local sandbox (a test double of Ozon)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--products", type=int, default=10_000)
        parser.add_argument("--latency-ms", type=int, default=0, help="sandbox latency per call")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--concurrency", type=int, default=None, help="Ozon calls in flight (default: OZON_CONCURRENCY)"
        )
        parser.add_argument(
            "--rate-limit", type=float, default=None, help="client requests/s (default: OZON_RATE_LIMIT)"
        )

    def handle(
        self,
        *args,
        products: int,
        latency_ms: int,
        seed: int,
        rate_limit: float | None,
        concurrency: int | None,
        **options,
    ) -> None:
        if products < 1:
            raise CommandError("--products must be at least 1")
        rate = settings.OZON_RATE_LIMIT if rate_limit is None else rate_limit
        concurrency = settings.OZON_CONCURRENCY if concurrency is None else concurrency
        with sandbox(products=products, seed=seed, latency_ms=latency_ms) as url, throwaway_database():
            rss_before = peak_rss_mb()
            self.stdout.write(
                f"bench_sync: {products} products, sandbox latency {latency_ms} ms, "
                f"client rate limit {rate:g}/s, concurrency {concurrency}, database {connection.vendor}"
            )
            for label in ("first sync (all new)", "second sync (all known)"):
                client = OzonClient(
                    base_url=url,
                    client_id=SANDBOX_CLIENT_ID,
                    api_key=SANDBOX_API_KEY,
                    rate_limit=rate,
                    concurrency=concurrency,
                )
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = sku_sync_all(client=client)
                seconds = time.perf_counter() - started
                if not result.ok:
                    raise CommandError(result.summary())
                self.report(label, result, queries=counter.count, seconds=seconds, products=products)
            self.stdout.write(
                f"peak memory          {peak_rss_mb():.0f} MB RSS high-water mark "
                f"({rss_before:.0f} MB before the first sync)"
            )

    def report(self, label: str, result, *, queries: int, seconds: float, products: int) -> None:
        bound = math.ceil(products / PAGE_LIMIT)
        w = self.stdout.write
        w(f"\n{label}")
        w(f"  products synced    {result.fetched} (created {result.created}, updated {result.updated})")
        w(f"  {'Ozon endpoint':<28}{'calls':>7}{'lower bound':>13}")
        for endpoint in ENDPOINTS:
            w(f"  {endpoint:<28}{result.calls.get(endpoint, 0):>7}{bound:>13}")
        w(f"  {'total':<28}{sum(result.calls.values()):>7}{bound * len(ENDPOINTS):>13}")
        w(f"  DB queries         {queries} ({queries / products * 1000:.1f} per 1000 SKUs)")
        w(f"  wall seconds       {seconds:.1f}")

"""`manage.py bench --accounts N`: every step for N accounts, one after the other and all at once.

The catalogue is split evenly: N sandbox accounts of SKUs / N products each, each an `Account`
with its own Client-Id (and its own storefront on the sandbox's Front Price API). Production
runs each account's job as its own django-q2 task (`<job>:<account id>`): with two workers two
accounts' runs overlap. So each step is timed both ways, each way in a fresh sandbox and database
(a second "all changing" maintenance would find nothing to change): one after the other (the wall
of them all), and at once — a thread per account, each on its own database connection, closed at
its end as a worker's is. Each Client-Id has its own rate budget (`ratelimit.py`): at once, the
Ozon rate floor is the busiest account's; one after the other, the sum. The Front Price API is
one server, one budget (keyed by its URL) whichever way.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import F
from django.db.models.functions import Round
from django.test.utils import override_settings

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.bench import (
    FRONT_PAGE_SIZE,
    QueryCounter,
    bench_accounts,
    front_price_source,
    front_seller_id,
    ozon_client,
    peak_rss_mb,
    sandbox,
    sandbox_account_requests,
    sandbox_stats,
    table_analyze,
    throwaway_database,
)
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.ozon import PAGE_LIMIT
from ozonprice.models import Account
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify


def accounts_each(accounts: list[Account], run: Callable[[Account], Any], *, concurrent: bool) -> list[Any]:
    """`run(account)` for each account, in order: one after the other, or a thread per account at once.

    A thread's database connection is its own (Django's are per thread) and is closed when its
    run ends, as a worker's would be: an open one would hold a PostgreSQL backend, or keep
    SQLite's file busy, after the bench moved on. The first error is raised once all have ended.
    """
    if not concurrent:
        return [run(account) for account in accounts]
    results: list[Any] = [None] * len(accounts)
    errors: list[BaseException] = []

    def worker(i: int, account: Account) -> None:
        try:
            results[i] = run(account)
        except BaseException as error:  # noqa: BLE001 - raised on the calling thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a), name=f"bench-{a.pk}") for i, a in enumerate(accounts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@dataclass
class AccountRun:
    """One account's part of a step: its result, its client's calls, the statements on its connection."""

    result: Any
    calls: int
    queries: int


@dataclass
class AccountsBench:
    """One size and latency of `--accounts N` in one way (`concurrent`): its rows, in step order."""

    url: str
    n: int
    latency_ms: int
    accounts: list[Account]
    concurrent: bool

    @property
    def per_account(self) -> int:
        return self.n // len(self.accounts)

    def label(self, step: str) -> str:
        count = len(self.accounts)
        return (
            f"{step} ({count} accounts at once)"
            if self.concurrent
            else f"{step} ({count} accounts, one after the other)"
        )

    def step(
        self,
        label: str,
        action: Callable[[Account, Any], Any],
        bound: Callable[[Account, Any], int],
        *,
        client: Callable[[Account], Any] | None = None,
        front: bool = False,
    ) -> tuple[str, dict[int, Any]]:
        """Run one step for every account; its row and each account's result (by account id).

        `bound(account, result)` is the fewest calls that account's run could make.
        """
        clients = {a.pk: (client or (lambda account: ozon_client(self.url, account)))(a) for a in self.accounts}

        def run(account: Account) -> AccountRun:
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                result = action(account, clients[account.pk])
            return AccountRun(result=result, calls=sum(clients[account.pk].calls.values()), queries=counter.count)

        per_client_before = sandbox_account_requests(self.url)
        served_before, busy_before = sandbox_stats(self.url)
        started = time.perf_counter()
        try:
            runs = accounts_each(self.accounts, run, concurrent=self.concurrent)
        finally:
            for made in clients.values():
                made.close()
        seconds = time.perf_counter() - started
        served_after, busy_after = sandbox_stats(self.url)
        per_client_after = sandbox_account_requests(self.url)
        for account, done in zip(self.accounts, runs, strict=True):
            if not done.result.ok:
                raise CommandError(f"{label}, {account.name}: {done.result.summary()}")
            # Each account's calls carried its own Client-Id (the Front Price API's carry none).
            seen = per_client_after.get(account.client_id, 0) - per_client_before.get(account.client_id, 0)
            if seen != (0 if front else done.calls):
                raise CommandError(f"{label}: the sandbox saw {seen} calls of {account.client_id}, made {done.calls}")
        calls = [done.calls for done in runs]
        if served_after - served_before != sum(calls) + 1:  # + 1: the stats request after
            raise CommandError(f"{label}: the sandbox answered {served_after - served_before - 1} of {sum(calls)}")
        bounds = [bound(account, done.result) for account, done in zip(self.accounts, runs, strict=True)]
        rate = settings.FRONT_PRICE_RATE_LIMIT if front else settings.OZON_RATE_LIMIT
        # At once, each Client-Id spends its own budget: the busiest one's calls are the floor.
        floor = (max(calls) if self.concurrent and not front else sum(calls)) / rate
        ratio = f"{seconds / floor:.1f}" if floor else "—"
        row = (
            f"| {self.n:,} | {self.latency_ms} | {self.label(label)} | {sum(calls)} ({sum(bounds)}) = "
            f"{' + '.join(str(c) for c in calls)} | {sum(done.queries for done in runs)} | {seconds:.1f} "
            f"| {busy_after - busy_before:.1f} | {floor:.1f} | {ratio} | {peak_rss_mb():.0f} |"
        )
        return row, {account.pk: done.result for account, done in zip(self.accounts, runs, strict=True)}

    def steps(self) -> list[str]:
        """Every step in order, as `run_size` runs them for one account; the rows."""
        rows = []
        pages = math.ceil(self.per_account / PAGE_LIMIT)

        def sync_bound(account: Account, _result: Any) -> int:
            # Ozon's ALL leaves archived products out: they are a second pass of pages.
            archived = Sku.objects.filter(account=account, archived=True).count()
            return 4 * (math.ceil((self.per_account - archived) / PAGE_LIMIT) + math.ceil(archived / PAGE_LIMIT))

        row, _ = self.step("sync", lambda a, ozon: sku_sync_all(account=a, client=ozon), sync_bound)
        rows.append(row)
        for account in self.accounts:
            # The split: every account's products, and only its own, became its SKUs.
            held = Sku.objects.filter(account=account).count()
            if held != self.per_account:
                raise CommandError(f"sync: {account.name} holds {held} SKUs, not {self.per_account}")
        if connection.vendor == "postgresql":
            table_analyze(Sku)
        row, _ = self.step(
            "showcase read, Ozon", lambda a, ozon: showcase_prices_fetch(account=a, ozon=ozon), lambda a, r: pages
        )
        rows.append(row)
        with ExitStack() as sources, override_settings(OUTBOUND_ALLOW_PRIVATE=True):
            for account in self.accounts:
                sources.enter_context(front_price_source(self.url, account))
            row, _ = self.step(
                "showcase read, Front Price API",
                lambda a, front: showcase_prices_fetch(account=a, front=front),
                # The storefront shows what is neither archived nor removed, FRONT_PAGE_SIZE a page.
                lambda a, r: math.ceil(
                    Sku.objects.filter(account=a, archived=False, missing_since__isnull=True).count() / FRONT_PAGE_SIZE
                ),
                client=lambda a: FrontPriceClient.for_seller(base_url=self.url, seller_id=front_seller_id(a)),
                front=True,
            )
            rows.append(row)
        Sku.objects.update(
            mrpc=Round(F("price") * Decimal("1.1")), discount=Decimal("25"), active=True, available=True, archived=False
        )
        if connection.vendor == "postgresql":
            # One UPDATE switched every SKU on: statistics as autoanalyze would leave them, not stale.
            table_analyze(Sku)
        maintain = lambda a, ozon: prices_maintain(account=a, client=ozon)  # noqa: E731 - twice below
        row, changed = self.step("maintenance, all changing", maintain, lambda a, r: pages)
        rows.append(row)
        row, _ = self.step("maintenance, none changing", maintain, lambda a, r: 0)
        rows.append(row)
        row, _ = self.step(
            "verification",
            lambda a, ozon: price_changes_verify(account=a, ozon=ozon),
            lambda a, r: math.ceil(changed[a.pk].sent / PAGE_LIMIT),
        )
        rows.append(row)
        return rows


def accounts_size_run(
    n: int, latency_ms: int, *, accounts: int, concurrent: bool, pages: Callable[[], Any] | None = None
) -> tuple[list[str], Any]:
    """One size and latency for `accounts` accounts, one way, in a fresh sandbox and database: the rows,
    then what `pages` (the page latencies, measured in that database after the steps) returned."""
    with sandbox(products=n // accounts, seed=1, latency_ms=latency_ms, accounts=accounts) as url, throwaway_database():
        bench = AccountsBench(url, n, latency_ms, bench_accounts(accounts), concurrent)
        rows = bench.steps()
        if pages is None:
            return rows, None
        if connection.vendor == "postgresql":
            # Maintenance and verification rewrote every row twice (see `run_size`).
            table_analyze(Sku)
        return rows, pages()

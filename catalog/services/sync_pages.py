"""The sync's reads as a pipeline: page N is written while page N+1 is read.

`/v3/product/list` pages by `last_id`, so list pages stay a chain; but a
page's info, prices and stocks are three independent reads, and none of them
waits for the next list page or for the database. So, for one visibility,
the tasks go to `calls_concurrent` in this order:

    L1, L2, I1, P1, S1, L3, I2, P2, S2, L4, …

(L: the list page, I/P/S: that page's info, prices, stocks). The passes of
several visibilities (`ALL`, `ARCHIVED`) run as chains side by side, their
tasks interleaved: the short archived listing no longer waits for the long
one to end, and the list chain sets the pace only once. A task that
depends on another waits for it in its worker (an event): L(n+1) for L(n)'s
`last_id`, I(n)/S(n) for L(n)'s ids, P(n) for the caller having read page
n's `price_version`s, which it does as it takes L(n), on its own thread,
before P(n) may go out (a price recorded after that read is newer than what
the sync holds). Outcomes come back in this order, so the caller reads
page n+1's versions before it writes page n, and writes page n while page
n+1's reads and the next list page are in flight.

Workers talk HTTP and parse; S(n), once I(n) and P(n) are in, also builds
the page's rows (`build`, pure), so that Python work runs while the caller
waits on the database. The database is touched on the caller's thread only
(the versions read here, the upsert in `sync.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from catalog.models import Sku
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.ozon import (
    ListedProduct,
    OzonClient,
    ProductInfo,
    ProductListRepeated,
    ProductPrice,
    ProductStock,
)
from ozonprice.models import Account

type Build[B] = Callable[
    [list[ListedProduct], dict[int, ProductInfo], dict[int, ProductPrice], dict[int, ProductStock]], B
]


@dataclass
class FetchedPage[B]:
    """One list page: the `price_version` per known product (read before the prices) and what `build` made."""

    page: list[ListedProduct]
    versions: dict[int, int]
    built: B


@dataclass(eq=False)
class _Slot:
    """The n-th list page of one pass and the state its dependent tasks wait on."""

    prev: _Slot | None
    listed: threading.Event = field(default_factory=threading.Event)
    versions_read: threading.Event = field(default_factory=threading.Event)
    page: list[ListedProduct] | None = None
    ended: bool = False  # no page here: the listing ended (or failed) before it, or the run stopped
    versions: dict[int, int] = field(default_factory=dict)
    reads: dict[str, Any] = field(default_factory=dict)  # info and prices, set by their workers
    read: dict[str, threading.Event] = field(
        default_factory=lambda: {"info": threading.Event(), "prices": threading.Event()}
    )


class _Pass:
    """One visibility's listing, run as the task chain above."""

    def __init__(self, client: OzonClient, visibility: str, build: Build) -> None:
        self.client = client
        self.build = build
        self.visibility = visibility
        self.pages = client.product_list_pages(visibility=visibility)
        self.cancelled = False
        self.live: list[_Slot] = []  # slots whose tasks may still wait: woken on cancel

    def tasks(self) -> Iterator[tuple[_Pass, str, _Slot]]:
        """Runs on the caller's thread, a task just before it is dispatched; stops once the end is known."""
        current = self._slot(None)
        yield self, "list", current
        while not (current.listed.is_set() and current.ended):
            following = self._slot(current)
            yield self, "list", following
            for kind in ("info", "prices", "stocks"):
                yield self, kind, current
            current = following

    def _slot(self, prev: _Slot | None) -> _Slot:
        slot = _Slot(prev=prev)
        self.live.append(slot)
        return slot

    def call(self, kind: str, slot: _Slot) -> Any:
        """A worker's part: HTTP and parsing, never the database."""
        if kind == "list":
            return self._list(slot)
        if kind == "stocks":
            return self._stocks(slot)
        try:
            slot.listed.wait()
            if slot.ended or self.cancelled:
                return None
            ids = [p.product_id for p in slot.page or ()]
            if kind == "info":
                slot.reads[kind] = {i.product_id: i for i in self.client.product_info_list(product_ids=ids)}
                return None
            slot.versions_read.wait()
            if self.cancelled:
                return None
            pages = self.client.product_prices(product_ids=ids, visibility=self.visibility)
            slot.reads[kind] = {p.product_id: p for chunk in pages for p in chunk}
            return None
        finally:
            slot.read[kind].set()

    def _stocks(self, slot: _Slot) -> Any:
        slot.listed.wait()
        if slot.ended or self.cancelled:
            return None
        pages = self.client.product_stocks(
            product_ids=[p.product_id for p in slot.page or ()], visibility=self.visibility
        )
        stocks = {s.product_id: s for chunk in pages for s in chunk}
        for event in slot.read.values():
            event.wait()
        if self.cancelled or len(slot.reads) < 2:  # info or prices failed: its outcome carries the error
            return None
        return self.build(slot.page or [], slot.reads["info"], slot.reads["prices"], stocks)

    def _list(self, slot: _Slot) -> list[ListedProduct] | None:
        try:
            prev, slot.prev = slot.prev, None  # drop the chain: a finished page must not stay in memory
            if prev is not None:
                prev.listed.wait()
                if prev.ended:
                    slot.ended = True
                    return None
            if self.cancelled:
                slot.ended = True
                return None
            slot.page = next(self.pages, None)  # one task at a time advances the listing (each waits the last)
            slot.ended = slot.page is None
            return slot.page
        except BaseException:
            slot.ended = True
            raise
        finally:
            slot.listed.set()

    def cancel(self) -> None:
        """Wake every waiting task: nothing more goes out."""
        self.cancelled = True
        for slot in self.live:
            slot.versions_read.set()
            slot.listed.set()
            for event in slot.read.values():
                event.set()


def _interleaved(runs: list[_Pass]) -> Iterator[tuple[_Pass, str, _Slot]]:
    """Every pass's tasks, one from each in turn: each pass keeps its own order (its tasks only wait on earlier ones)."""
    sources = [run.tasks() for run in runs]
    while sources:
        for source in list(sources):
            task = next(source, None)
            if task is None:
                sources.remove(source)
            else:
                yield task


def _call(task: tuple[_Pass, str, _Slot]) -> Any:
    run, kind, slot = task
    return run.call(kind, slot)


def sync_pages_fetched[B](
    *, client: OzonClient, account: Account, visibilities: Sequence[str], build: Build[B]
) -> Iterator[FetchedPage[B]]:
    """Every list page of each visibility with `build(page, infos, prices, stocks)` of it.

    `account`: whose catalogue the client lists (the stored versions are read from its rows).

    The visibilities are listed side by side; each one's pages come in order.
    `build` runs in a worker: it must be pure (no database).

    A failed list page ends its pass after the pages before it were yielded;
    a repeated page (`ProductListRepeated`) leaves the other passes running,
    any other failure (`ApiError`) stops them. Once every pass has ended, the
    failure is raised (any other before a repeated page). A failed info,
    prices or stocks read raises before its page is yielded. Either way,
    nothing more is sent, and what is in flight finishes before this returns.
    """
    runs = [_Pass(client, visibility, build) for visibility in visibilities]
    outcomes = calls_concurrent(_call, _interleaved(runs), concurrency=client.concurrency)
    list_errors: list[BaseException] = []
    try:
        for outcome in outcomes:
            run, kind, slot = outcome.item
            if kind == "list":
                if outcome.error is not None:
                    list_errors.append(outcome.error)  # the pages listed before it are still read and written
                    if not isinstance(outcome.error, ProductListRepeated):
                        for other in runs:
                            if other is not run:
                                other.cancel()
                elif slot.page is not None and not run.cancelled:
                    ids = [p.product_id for p in slot.page]
                    # Read before Ozon's prices: a price recorded after this read is newer than what the sync holds.
                    slot.versions = dict(
                        Sku.objects.filter(account=account, product_id__in=ids).values_list(
                            "product_id", "price_version"
                        )
                    )
                    slot.versions_read.set()
                continue
            if outcome.error is not None:
                raise outcome.error
            if kind != "stocks":
                continue  # info and prices wait on the slot for the stocks task, which builds the page
            run.live.remove(slot)
            if slot.ended or run.cancelled:
                continue  # a task past the end of the listing (or of a stopped pass): nothing to write
            page, slot.page = slot.page or [], None
            slot.reads = {}
            yield FetchedPage(page=page, versions=slot.versions, built=cast(B, outcome.value))
    finally:
        for run in runs:
            run.cancel()
        outcomes.close()  # what is in flight finishes; its audit rows are written
    if list_errors:
        raise next((e for e in list_errors if not isinstance(e, ProductListRepeated)), list_errors[0])

"""Buyer discount requests (заявки на скидку) on the sandbox.

A buyer asks for a product at `requested_price`. The seller approves (at an
`approved_price`) or declines a request while it is NEW; after that it cannot
change (the answer's `fail_details` say so). An approved request lowers the
storefront price of its product to the approved price until the request's
`end_at` (sandbox clock) — which is what breaks an MRPC.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

from ozonprice.sandbox.promotions import DAY_S, HUNDRED
from ozonprice.sandbox.wallclock import WallClock

NEW, APPROVED, DECLINED = "NEW", "APPROVED", "DECLINED"
STATUSES = (NEW, APPROVED, DECLINED)
FIRST_TASK_ID = 5_000_001
# How long a request lives, and how long a decision may still be changed (Ozon's `edited_till`).
VALID_DAYS = 3
EDIT_WINDOW_S = 3600.0


@dataclass
class DiscountTask:
    id: int
    index: int
    sku: int
    name: str
    requested_price: Decimal
    original_price: Decimal
    min_auto_price: Decimal
    quantity_max: int
    created: float  # sandbox clock
    ends: float
    status: str = NEW
    approved_price: Decimal = Decimal(0)
    approved_quantity_max: int = 0
    moderated: float | None = None
    seller_comment: str = ""

    @property
    def requested_discount(self) -> Decimal:
        """The discount asked for, in percent of the original price."""
        if not self.original_price:
            return Decimal(0)
        return ((self.original_price - self.requested_price) / self.original_price * HUNDRED).quantize(Decimal("0.01"))


class DiscountDesk:
    """Every discount request, by id; thread-safe."""

    def __init__(self, wall: WallClock, *, first_id: int = FIRST_TASK_ID) -> None:
        self.wall = wall
        # Ozon's task ids are unique across sellers: each sandbox account numbers its own from its own start.
        self.first_id = first_id
        self.lock = threading.Lock()
        self.tasks: dict[int, DiscountTask] = {}
        # index → approved tasks: the storefront asks per product.
        self._approved: dict[int, list[DiscountTask]] = {}

    def add(
        self,
        *,
        index: int,
        sku: int,
        name: str,
        requested_price: Decimal,
        original_price: Decimal,
        min_auto_price: Decimal,
        quantity_max: int = 1,
        valid_days: float = VALID_DAYS,
    ) -> int:
        if requested_price <= 0:
            raise ValueError("requested_price must be > 0")
        with self.lock:
            task_id = self.first_id + len(self.tasks)
            now = self.wall.clock()
            self.tasks[task_id] = DiscountTask(
                id=task_id,
                index=index,
                sku=sku,
                name=name,
                requested_price=requested_price,
                original_price=original_price,
                min_auto_price=min_auto_price,
                quantity_max=quantity_max,
                created=now,
                ends=now + valid_days * DAY_S,
            )
            return task_id

    def task(self, task_id: int) -> DiscountTask:
        task = self.tasks.get(task_id)
        if task is None:
            raise KeyError(f"no discount request {task_id} in the sandbox")
        return task

    def page(self, status: str, after: int, limit: int) -> list[DiscountTask]:
        """Up to `limit` requests in `status` ("ALL" = any) with ids above `after`, by id."""
        with self.lock:
            chosen = []
            for task_id in sorted(self.tasks):
                task = self.tasks[task_id]
                if task_id > after and (status == "ALL" or task.status == status):
                    chosen.append(task)
                    if len(chosen) == limit:
                        break
            return chosen

    def decide(
        self, task_id: int, status: str, *, comment: str = "", price: Decimal | None = None, quantity: int = 0
    ) -> str | None:
        """Approve or decline one request; None when done, else the reason it cannot change."""
        with self.lock:
            task = self.tasks.get(task_id)
            if task is None:
                return f"discount request {task_id} not found"
            if task.status != NEW:
                return f"discount request {task_id} is {task.status}: only NEW requests can be approved or declined"
            task.status = status
            task.moderated = self.wall.clock()
            task.seller_comment = comment
            if status == APPROVED and price is not None:
                task.approved_price = price
                task.approved_quantity_max = quantity
                self._approved.setdefault(task.index, []).append(task)
            return None

    def approved_price(self, index: int) -> Decimal | None:
        """The lowest price of the product's approved requests that have not ended, if any."""
        approved = self._approved.get(index)
        if not approved:
            return None
        now = self.wall.clock()
        prices = [task.approved_price for task in approved if task.ends > now]
        return min(prices) if prices else None

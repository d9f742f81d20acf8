"""Buyers' discount requests (заявки на скидку), mixed into `OzonClient`.

Checked against the official OpenAPI document (docs/ozon-openapi-2026-04.json):

* `POST /v2/actions/discounts-task/list`: `{status, limit (enum 5…50),
  last_id}` → `tasks[]{id, sku, requested_price, original_price, …}`. The v2
  task carries `sku`, not product_id, and the answer no cursor: the next page
  starts after the last task's id.
* `POST /v1/actions/discounts-task/decline`: `{tasks[{id, seller_comment}]}`
  → `result{success_count, fail_count, fail_details[{task_id,
  error_for_user}]}`. No maximum is documented; 50 a call, the list's page.

There is deliberately no method to *approve* a request: the guard never
approves anything. A decline is a write sent with `idempotent=False`: after a
timeout it is not re-sent; the next run reads NEW requests again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonprice.clients.ozon_actions import check_batch, ozon_datetime
from ozonprice.clients.ozon_values import money, ozon_id, reading

if TYPE_CHECKING:
    from ozonprice.clients.http import HttpSeam

DISCOUNT_TASKS = "/v2/actions/discounts-task/list"
DISCOUNT_DECLINE = "/v1/actions/discounts-task/decline"
DISCOUNT_TASKS_LIMIT = 50
DISCOUNT_TASKS_LIMITS = (5, 10, 15, 20, 30, 50)
DECLINE_MAX = 50


@dataclass(frozen=True)
class DiscountTask:
    """A buyer's discount request as the v2 list gives it (keyed by `sku`, not product_id)."""

    id: int
    sku: int
    name: str
    status: str
    requested_price: Decimal | None
    original_price: Decimal | None
    requested_quantity_max: int
    created_at: datetime | None
    end_at: datetime | None


@dataclass(frozen=True)
class DeclineResult:
    success_count: int
    failed: dict[int, str] = field(default_factory=dict)  # task id -> Ozon's error_for_user


class DiscountTasksMixin:
    """Typed methods over Ozon's discount-request methods (reading and declining only)."""

    http: HttpSeam

    def discount_tasks_pages(
        self, *, status: str = "NEW", limit: int = DISCOUNT_TASKS_LIMIT
    ) -> Iterator[list[DiscountTask]]:
        """Buyers' discount requests of one status, a page at a time.

        Pages by `last_id` = the last task's id (the answer carries no cursor);
        stops on an empty or short page or an id that did not move.
        """
        if limit not in DISCOUNT_TASKS_LIMITS:
            raise ValueError(f"Ozon takes a limit of {DISCOUNT_TASKS_LIMITS}, got {limit}")
        last_id: int | None = None
        while True:
            payload: dict[str, Any] = {"status": status, "limit": limit}
            if last_id is not None:
                payload["last_id"] = last_id
            data = self.http.post(
                DISCOUNT_TASKS, payload, idempotent=True, products_count=lambda d: len(d["tasks"])
            ).data
            with reading(DISCOUNT_TASKS):
                rows = data.get("tasks") or []
                page = [_discount_task(row) for row in rows]
            if page:
                yield page
            if len(rows) < limit or not page or page[-1].id == last_id:
                return
            last_id = page[-1].id

    def discount_tasks_decline(self, *, tasks: Sequence[tuple[int, str]]) -> DeclineResult:
        """Decline buyers' requests `(task id, seller comment)` (≤ 50 a call); Ozon answers per failed task."""
        check_batch(tasks, DECLINE_MAX)
        if not tasks:
            return DeclineResult(success_count=0)
        payload = {"tasks": [{"id": task_id, "seller_comment": comment} for task_id, comment in tasks]}
        data = self.http.post(DISCOUNT_DECLINE, payload, idempotent=False, products_count=len(tasks)).data
        with reading(DISCOUNT_DECLINE):
            result = data["result"]
            return DeclineResult(
                success_count=int(result.get("success_count") or 0),
                failed={
                    ozon_id(row["task_id"]): str(row.get("error_for_user") or "")
                    for row in result.get("fail_details") or []
                },
            )


def _discount_task(row: dict) -> DiscountTask:
    return DiscountTask(
        id=ozon_id(row["id"]),
        sku=ozon_id(row["sku"]),
        name=str(row.get("name") or ""),
        status=str(row.get("status") or ""),
        requested_price=money(row.get("requested_price")),
        original_price=money(row.get("original_price")),
        requested_quantity_max=int(row.get("requested_quantity_max") or 0),
        created_at=ozon_datetime(row.get("created_at")),
        end_at=ozon_datetime(row.get("end_at")),
    )

"""Buyer discount requests on the sandbox: the v2 list, approve and decline.

* `POST /v2/actions/discounts-task/list` — `status` (ALL / NEW / APPROVED /
  DECLINED, default ALL), `limit` from the documented enum (default 50),
  `last_id` (the last task id seen). Tasks come by id; the answer is just
  `tasks[]` (no cursor): the next page starts after the last task's `id`.
  A v2 task carries `sku`, not `product_id`.
* `POST /v1/actions/discounts-task/approve` / `…/decline` — `tasks[]` with the
  documented required fields (else a 400 naming it); per task, success or a
  `fail_details[{task_id, error_for_user}]` entry (unknown, or not NEW).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.discounts import APPROVED, DECLINED, EDIT_WINDOW_S, STATUSES, DiscountTask
from ozonprice.sandbox.routing import Request, Route, int64_value, invalid_argument
from ozonprice.sandbox.shapes import number
from ozonprice.sandbox.wallclock import UNSET_DATE, iso

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

LIMITS = (5, 10, 15, 20, 30, 50)
DEFAULT_LIMIT = 50
LIST_STATUSES = ("ALL", *STATUSES)
# Who decides on the sandbox: the API key's owner, as Ozon records it.
MODERATOR = {"email": "seller@sandbox.invalid", "first_name": "Sandbox", "last_name": "Seller", "patronymic": ""}


def _task_row(sandbox: Shop, task: DiscountTask) -> dict[str, Any]:
    wall, now = sandbox.wall, sandbox.clock()
    moderated = task.moderated is not None
    edit_until = task.moderated + EDIT_WINDOW_S if task.moderated is not None else None
    approved_discount = task.original_price - task.approved_price if task.status == APPROVED else Decimal(0)
    return {
        "approved_discount": number(approved_discount),
        "approved_price": number(task.approved_price),
        "approved_quantity_max": task.approved_quantity_max,
        "auto_moderated_info": {"max_percent": 0, "max_price": 0, "min_percent": 0, "min_price": 0},
        "created_at": iso(wall.at(task.created)),
        "edited_till": iso(wall.at(edit_until)) if edit_until is not None else UNSET_DATE,
        "edited_till_duration": max(int(edit_until - now), 0) if edit_until is not None else 0,
        **({**MODERATOR} if moderated else {"email": "", "first_name": "", "last_name": "", "patronymic": ""}),
        "end_at": iso(wall.at(task.ends)),
        "end_at_duration": max(int(task.ends - now), 0),
        "id": task.id,
        "is_auto_moderated": False,
        "min_auto_price": number(task.min_auto_price),
        "moderated_at": iso(wall.at(task.moderated)) if task.moderated is not None else UNSET_DATE,
        "name": task.name,
        "original_price": number(task.original_price),
        "reduction_factor": number(task.original_price - task.requested_price),
        "requested_discount": number(task.requested_discount),
        "requested_price": number(task.requested_price),
        "requested_quantity_max": task.quantity_max,
        "sku": task.sku,
        "status": task.status,
    }


def discount_tasks_list(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v2/actions/discounts-task/list — one page of requests after `last_id`."""
    body = request.body
    status = body.get("status") or "ALL"
    if status not in LIST_STATUSES:
        raise invalid_argument(f"status: invalid value {status!r}; expected one of {list(LIST_STATUSES)}")
    limit = int64_value(body, "limit", default=DEFAULT_LIMIT)
    if limit not in LIMITS:
        raise invalid_argument(f"limit: must be one of {list(LIMITS)}, got {limit}")
    after = int64_value(body, "last_id")
    tasks = sandbox.discounts.page(status, after, limit)
    return {"tasks": [_task_row(sandbox, task) for task in tasks]}


def _tasks(body: dict[str, Any], required: tuple[str, ...]) -> list[dict[str, Any]]:
    tasks = body.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise invalid_argument("tasks: value is required and must be a non-empty array")
    for position, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise invalid_argument(f"tasks[{position}]: expected an object")
        for name in required:
            if task.get(name) in (None, ""):
                raise invalid_argument(f"tasks[{position}].{name}: value is required")
        comment = task.get("seller_comment")
        if comment is not None and not isinstance(comment, str):
            raise invalid_argument(f"tasks[{position}].seller_comment: expected a string")
    return tasks


def _price(task: dict[str, Any], position: int) -> Decimal:
    value = task.get("approved_price")
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid_argument(f"tasks[{position}].approved_price: invalid value {value!r}") from None


def _answer(failures: list[dict[str, Any]], count: int) -> dict[str, Any]:
    return {"result": {"fail_details": failures, "success_count": count - len(failures), "fail_count": len(failures)}}


def discount_tasks_approve(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/actions/discounts-task/approve — approve NEW requests at `approved_price`."""
    tasks = _tasks(request.body, ("id", "approved_price", "approved_quantity_min", "approved_quantity_max"))
    parsed = []
    for position, task in enumerate(tasks):
        task_id = int64_value(task, "id", required=True)
        low = int64_value(task, "approved_quantity_min", required=True)
        high = int64_value(task, "approved_quantity_max", required=True)
        parsed.append((task_id, _price(task, position), low, high, task.get("seller_comment") or ""))
    failures = []
    for task_id, price, low, high, comment in parsed:
        if price <= 0:
            reason: str | None = "approved_price must be greater than 0"
        elif low > high:
            reason = "approved_quantity_min must not exceed approved_quantity_max"
        else:
            reason = sandbox.discounts.decide(task_id, APPROVED, comment=comment, price=price, quantity=high)
        if reason is not None:
            failures.append({"task_id": task_id, "error_for_user": reason})
    return _answer(failures, len(parsed))


def discount_tasks_decline(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/actions/discounts-task/decline — decline NEW requests, with the seller's comment."""
    tasks = _tasks(request.body, ("id",))
    parsed = [(int64_value(task, "id", required=True), task.get("seller_comment") or "") for task in tasks]
    failures = []
    for task_id, comment in parsed:
        reason = sandbox.discounts.decide(task_id, DECLINED, comment=comment)
        if reason is not None:
            failures.append({"task_id": task_id, "error_for_user": reason})
    return _answer(failures, len(parsed))


DISCOUNT_ROUTES: dict[str, Route] = {
    "/v2/actions/discounts-task/list": Route(discount_tasks_list),
    "/v1/actions/discounts-task/approve": Route(discount_tasks_approve),
    "/v1/actions/discounts-task/decline": Route(discount_tasks_decline),
}

"""A scripted Ozon for the storefront guard's methods, registered on the `responses` mock.

Answers promotions, the seller's promotions, the min-price timer and buyers'
discount requests in the shapes of the official OpenAPI document, pages
honestly, and records every write so tests can say what changed on Ozon.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import responses

from tests.fakes.ozon import BASE


@dataclass
class FakeActions:
    # action id -> {"title", "products": {product_id: action_price}, "is_participating"}
    actions: dict[int, dict] = field(default_factory=dict)
    # seller action id -> {"title", "status", "products": {product_id: (sku, action_price, is_active)}}
    seller_actions: dict[int, dict] = field(default_factory=dict)
    # (action id, product id) -> Ozon's reason for not removing it
    rejections: dict[tuple[int, int], str] = field(default_factory=dict)
    # product id -> when its min-price timer runs out (None: Ozon reports no time)
    timers: dict[int, datetime | None] = field(default_factory=dict)
    timer_days: int = 3
    # task id -> {"sku", "requested_price", "status"}
    tasks: dict[int, dict] = field(default_factory=dict)
    decline_failures: dict[int, str] = field(default_factory=dict)
    # path -> [(status, body)] answered before the normal answer (a body may be an exception to raise)
    failures: dict[str, list[tuple[int, object]]] = field(default_factory=dict)
    deactivated: list[dict] = field(default_factory=list)
    deleted: list[dict] = field(default_factory=list)
    renewed: list[list[int]] = field(default_factory=list)
    declined: list[list[dict]] = field(default_factory=list)
    approved: list[object] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def install(self, mock: responses.RequestsMock) -> FakeActions:
        mock.add_callback(responses.GET, BASE + "/v1/actions", callback=self._wrap("/v1/actions", self._actions))
        for path, handler in {
            "/v1/actions/products": self._action_products,
            "/v1/actions/products/deactivate": self._deactivate,
            "/v1/seller-actions/list": self._seller_actions,
            "/v1/seller-actions/products/list": self._seller_products,
            "/v1/seller-actions/products/delete": self._seller_delete,
            "/v1/product/action/timer/status": self._timer_status,
            "/v1/product/action/timer/update": self._timer_update,
            "/v2/actions/discounts-task/list": self._tasks,
            "/v1/actions/discounts-task/decline": self._decline,
            "/v1/actions/discounts-task/approve": self._approve,
        }.items():
            mock.add_callback(responses.POST, BASE + path, callback=self._wrap(path, handler))
        return self

    def _wrap(self, path, handler):
        def callback(request):
            queued = self.failures.get(path)
            if queued:
                status, body = queued.pop(0)
                if isinstance(body, Exception):
                    raise body
                return status, {}, body if isinstance(body, str) else json.dumps(body)
            body = json.loads(request.body) if request.body else None
            answer = handler(body)
            return 200, {}, "" if answer is None else json.dumps(answer)

        return callback

    # --- Ozon's promotions -------------------------------------------------------------
    def _actions(self, body):
        return {
            "result": [
                {
                    "id": action_id,
                    "title": a["title"],
                    "action_type": "DISCOUNT",
                    "description": "",
                    "date_start": "2026-11-01T00:00:00Z",
                    "date_end": "2026-12-31T20:59:59Z",
                    "freeze_date": "",
                    "potential_products_count": 0,
                    "participating_products_count": len(a["products"]),
                    "is_participating": a.get("is_participating", bool(a["products"])),
                    "is_voucher_action": False,
                    "banned_products_count": 0,
                    "with_targeting": False,
                    "order_amount": 0,
                    "discount_type": "PERCENT",
                    "discount_value": 10,
                }
                for action_id, a in self.actions.items()
            ]
        }

    def _action_products(self, body):
        rows = sorted(self.actions[int(body["action_id"])]["products"].items())
        start = int(body.get("last_id") or 0)
        page = rows[start : start + int(body.get("limit") or 100)]
        return {
            "result": {
                "products": [
                    {
                        "id": pid,
                        "price": 0,
                        "action_price": float(price),
                        "add_mode": "AUTO",
                        "max_action_price": 0,
                        "alert_max_action_price_failed": False,
                        "alert_max_action_price": 0,
                        "stock": 0,
                        "min_stock": 0,
                        "current_boost": 0,
                        "price_min_elastic": 0,
                        "price_max_elastic": 0,
                        "min_boost": 0,
                        "max_boost": 0,
                    }
                    for pid, price in page
                ],
                "total": len(rows),
                "last_id": str(start + len(page)),
            }
        }

    def _deactivate(self, body):
        self.deactivated.append(body)
        action_id = int(body["action_id"])
        products = self.actions[action_id]["products"]
        removed, rejected = [], []
        for pid in body["product_ids"]:
            reason = self.rejections.get((action_id, pid)) or (
                "" if pid in products else "product is not in the action"
            )
            if reason:
                rejected.append({"product_id": pid, "reason": reason})
            else:
                products.pop(pid)
                removed.append(pid)
        return {"result": {"product_ids": removed, "rejected": rejected}}

    # --- the seller's promotions -----------------------------------------------------------
    def _seller_actions(self, body):
        rows = [(i, a) for i, a in sorted(self.seller_actions.items()) if a.get("status", "ACTIVE") in body["status"]]
        page = rows[body.get("offset", 0) : body.get("offset", 0) + body["limit"]]
        return {
            "actions": [
                {
                    "action_id": i,
                    "action_parameters": {"title": a["title"], "status": a.get("status", "ACTIVE"), "type": "DISCOUNT"},
                    "allow_delete": True,
                    "highlight_url": "",
                    "is_editable": True,
                    "is_participated": True,
                    "is_turn_on": True,
                    "sku_count": len(a["products"]),
                }
                for i, a in page
            ],
            "total": len(rows),
        }

    def _seller_products(self, body):
        rows = sorted(self.seller_actions[int(body["action_id"])]["products"].items())
        start = int(body.get("cursor") or 0)
        page = rows[start : start + body["limit"]]
        return {
            "products": [
                {
                    "product_id": pid,
                    "offer_id": f"ART-{pid}",
                    "sku": [str(sku)],
                    "action_price": float(price),
                    "base_price": 0,
                    "price": float(price),
                    "currency": "RUB",
                    "discount_percent": 10,
                    "is_active": active,
                    "min_seller_price": 0,
                    "name": "",
                    "quant_size": 0,
                    "quant_type": "UNSPECIFIED",
                }
                for pid, (sku, price, active) in page
            ],
            "cursor": start + len(page),
            "has_next": start + len(page) < len(rows),
        }

    def _seller_delete(self, body):
        self.deleted.append(body)
        skus = {int(s) for s in body["skus"]}
        products = self.seller_actions[int(body["action_id"])]["products"]
        for pid in [pid for pid, (sku, _p, _a) in products.items() if sku in skus]:
            products.pop(pid)
        return None  # Ozon documents a bare 200

    # --- the min-price timer --------------------------------------------------------------
    def _timer_status(self, body):
        return {
            "statuses": [
                {
                    "product_id": int(pid),
                    "min_price_for_auto_actions_enabled": True,
                    **(
                        {"expired_at": self.timers[int(pid)].strftime("%Y-%m-%dT%H:%M:%SZ")}
                        if self.timers.get(int(pid))
                        else {}
                    ),
                }
                for pid in body["product_ids"]
                if int(pid) in self.timers
            ]
        }

    def _timer_update(self, body):
        ids = [int(pid) for pid in body["product_ids"]]
        self.renewed.append(ids)
        for pid in ids:
            self.timers[pid] = self.now + timedelta(days=self.timer_days)
        return {}

    # --- discount requests ---------------------------------------------------------------
    def _tasks(self, body):
        rows = [
            (i, t)
            for i, t in sorted(self.tasks.items())
            if body.get("status", "ALL") in ("ALL", t.get("status", "NEW")) and i > int(body.get("last_id") or 0)
        ]
        return {
            "tasks": [
                {
                    "id": i,
                    "sku": t["sku"],
                    "name": f"Товар {t['sku']}",
                    "status": t.get("status", "NEW"),
                    "requested_price": float(t["requested_price"]),
                    "original_price": 2000,
                    "requested_discount": 10,
                    "requested_quantity_max": 1,
                    "created_at": "2026-11-22T08:00:00Z",
                    "end_at": "2026-11-25T08:00:00Z",
                    "edited_till": "2026-11-23T08:00:00Z",
                    "edited_till_duration": 86400,
                    "end_at_duration": 259200,
                    "approved_price": 0,
                    "approved_discount": 0,
                    "approved_quantity_max": 0,
                    "min_auto_price": 0,
                    "reduction_factor": 0,
                    "is_auto_moderated": False,
                    "email": "",
                    "first_name": "",
                    "last_name": "",
                    "patronymic": "",
                    "auto_moderated_info": {"max_percent": 0, "max_price": 0, "min_percent": 0, "min_price": 0},
                }
                for i, t in rows[: body.get("limit", 50)]
            ]
        }

    def _decline(self, body):
        self.declined.append(body["tasks"])
        failed = []
        for task in body["tasks"]:
            if task["id"] in self.decline_failures:
                failed.append({"task_id": task["id"], "error_for_user": self.decline_failures[task["id"]]})
            else:
                self.tasks[task["id"]]["status"] = "DECLINED"
        return {
            "result": {
                "fail_details": failed,
                "success_count": len(body["tasks"]) - len(failed),
                "fail_count": len(failed),
            }
        }

    def _approve(self, body):
        self.approved.append(body)
        return {"result": {"fail_details": [], "success_count": 0, "fail_count": 0}}

    @property
    def writes(self) -> int:
        return len(self.deactivated) + len(self.deleted) + len(self.renewed) + len(self.declined) + len(self.approved)

"""A scripted Ozon pictures API for unit tests, registered on the `responses` mock.

Answers `/v2/product/pictures/import`, `/v1/product/import/info`,
`/v2/product/pictures/info` and `/v3/product/info/list` in Ozon's documented
shapes (docs/ozon-api.md §2, §5b–5c) from a dict of products. Tasks stay
`pending` for `pending_polls` reads, then end `imported` (or `skipped` when
nothing changed, or `failed` for an offer_id in `failing`). `failures` queues
error answers per path, before the normal one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import responses

BASE = "https://api-seller.ozon.ru"
PICTURES_IMPORT = "/v2/product/pictures/import"
IMPORT_INFO = "/v1/product/import/info"
PICTURES_INFO = "/v2/product/pictures/info"
INFO_LIST = "/v3/product/info/list"

QUOTA_429 = {
    "code": "RESOURCE_EXHAUSTED",
    "message": "You have reached operation items limits. Retry after 60 seconds. Remaining 0 items",
    "details": [],
}
INTERNAL_500 = {"code": 13, "message": "Internal error", "details": []}
INVALID_400 = {"code": 3, "message": "items[0].images: expected an array of URLs", "details": []}
DENIED_403 = {"code": 7, "message": "Api-Key is missing a required role for a method", "details": []}


def item_error(code: str, message: str, field_name: str = "images") -> dict[str, Any]:
    """An error of `/v1/product/import/info` (`v1ItemError`), every field present."""
    return {
        "code": code,
        "message": message,
        "state": "failed",
        "level": "error",
        "description": message,
        "field": field_name,
        "attribute_id": 0,
        "attribute_name": "",
    }


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakePictures:
    # product_id -> {"offer_id", "images" (main first), "color"}
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    pending_polls: int = 0
    failing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, list[Reply]] = field(default_factory=dict)
    # Every accepted import's items, oldest first; every request body per path.
    imports: list[list[dict[str, Any]]] = field(default_factory=list)
    bodies: dict[str, list[Any]] = field(default_factory=dict)
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add(self, product_id: int, offer_id: str, images: list[str] | None = None, color: str = "") -> None:
        self.products[product_id] = {"offer_id": offer_id, "images": list(images or []), "color": color}

    def fail(self, path: str, status: int, body: Any, headers: dict[str, str] | None = None, times: int = 1) -> None:
        self.failures.setdefault(path, []).extend(Reply(status, body, headers or {}) for _ in range(times))

    def install(self, mock: responses.RequestsMock) -> FakePictures:
        for path, handler in {
            PICTURES_IMPORT: self._import,
            IMPORT_INFO: self._info,
            PICTURES_INFO: self._pictures,
            INFO_LIST: self._info_list,
        }.items():
            mock.add_callback(responses.POST, BASE + path, callback=self._wrap(path, handler))
        return self

    def calls(self, path: str) -> int:
        return len(self.bodies.get(path, []))

    def _wrap(self, path, handler):
        def callback(request):
            body = json.loads(request.body)
            self.bodies.setdefault(path, []).append(body)
            queued = self.failures.get(path)
            if queued:
                reply = queued.pop(0)
                text = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                return reply.status, reply.headers, text
            return 200, {}, json.dumps(handler(body))

        return callback

    def _by_offer(self, offer_id: str) -> tuple[int, dict[str, Any]] | None:
        for product_id, product in self.products.items():
            if product["offer_id"] == offer_id:
                return product_id, product
        return None

    def _import(self, body):
        self.imports.append(body["items"])
        task_id = 7_000_001 + len(self.tasks)
        self.tasks[task_id] = {"items": body["items"], "polls": 0}
        return {"task_id": task_id}

    def _info(self, body):
        task = self.tasks[int(body["task_id"])]
        task["polls"] += 1
        done = task["polls"] > self.pending_polls
        items = []
        for item in task["items"]:
            found = self._by_offer(item["offer_id"])
            product_id = found[0] if found else 0
            status, errors = "pending", []
            if done:
                status, errors = self._finish(item, found)
            items.append({"offer_id": item["offer_id"], "product_id": product_id, "status": status, "errors": errors})
        return {"result": {"items": items, "total": len(items)}}

    def _finish(self, item, found) -> tuple[str, list]:
        if found is None:
            return "failed", [item_error("NOT_FOUND_ERROR", "product not found", "offer_id")]
        if item["offer_id"] in self.failing:
            return "failed", self.failing[item["offer_id"]]
        product = found[1]
        primary = item.get("primary_image")
        images = list(dict.fromkeys([primary, *item["images"]] if primary else item["images"]))
        color = item.get("color_image", "")
        if (product["images"], product["color"]) == (images, color):
            return "skipped", []
        product.update(images=images, color=color)
        return "imported", []

    def _pictures(self, body):
        items = []
        for raw in body["product_id"]:
            product = self.products.get(int(raw))
            if product is None:
                continue
            images = product["images"]
            items.append(
                {
                    "product_id": int(raw),
                    "primary_photo": images[:1],
                    "photo": images,
                    "color_photo": [product["color"]] if product["color"] else [],
                    "errors": [],
                }
            )
        return {"items": items}

    def _info_list(self, body):
        items = []
        for raw in body["product_id"]:
            product = self.products.get(int(raw))
            if product is None:
                continue
            items.append(
                {
                    "id": int(raw),
                    "offer_id": product["offer_id"],
                    "sku": 0,
                    "name": "",
                    "images": product["images"],
                    "primary_image": product["images"][:1],
                    "color_image": [product["color"]] if product["color"] else [],
                    "is_archived": False,
                    "is_autoarchived": False,
                    "stocks": {"has_stock": True, "stocks": []},
                    "statuses": {"status": "price_sent"},
                    "visibility_details": {"has_price": True, "has_stock": True},
                }
            )
        return {"items": items}


class Clock:
    """A clock that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

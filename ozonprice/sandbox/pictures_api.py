"""Pictures, as Ozon's current API has them (docs/ozon-api.md §5b–5c).

* `POST /v2/product/pictures/import` — ≤ 100 items keyed by `offer_id`, each
  with ≤ 50 `images`, `primary_image?`, `color_image?`; no `images360` (a body
  carrying it is refused with 400). Answers `{"task_id"}`. Full replace: the
  product's pictures become exactly the ones sent (the first is the main one
  unless `primary_image` names another; no `color_image` clears it). A
  per-minute item quota answers 429 with `Item-Retry-After` (minutes) and
  `Item-Rate-Limit-Remaining`, like Ozon.
* `POST /v1/product/import/info` — the task's items: `pending` until
  `delay_s` has passed, then `imported`, `skipped` (nothing changed) or
  `failed` (unknown offer_id, or a URL Ozon could not download: a host under
  `.invalid` other than the demo pictures' own CDN host, `localhost`, a
  loopback address, a scheme other than http(s)); a failed product keeps its
  old pictures.
* `POST /v2/product/pictures/info` — the pictures held now (`photo` lists all,
  the main one first, as v3 info's `images`), with the URLs the last failed
  import could not download in `errors[]{message, url}`.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ozonprice.sandbox.products import IMAGE_HOST
from ozonprice.sandbox.routing import OzonError, Request, Route, int64_list, invalid_argument

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

MAX_ITEMS = 100
MAX_IMAGES = 50
MAX_PRODUCT_IDS = 1000
MINUTE_S = 60.0
FIRST_TASK_ID = 7_000_001
NO_360 = "images360 is not supported: Ozon removed 360° images on 10 Jul 2026 and /v2/product/pictures/import has no such field"


@dataclass
class PictureItem:
    offer_id: str
    index: int | None
    images: tuple[str, ...]
    color_image: str
    product_id: int = 0
    status: str = "pending"
    errors: list[dict[str, Any]] = field(default_factory=list)

    def answer(self) -> dict[str, Any]:
        return {"offer_id": self.offer_id, "product_id": self.product_id, "status": self.status, "errors": self.errors}


@dataclass
class PictureTask:
    task_id: int
    due: float
    items: list[PictureItem]


def item_error(code: str, message: str, field_name: str, description: str) -> dict[str, Any]:
    """An error of `/v1/product/import/info` (`v1ItemError`), every field present."""
    return {
        "code": code,
        "message": message,
        "state": "failed",
        "level": "error",
        "description": description,
        "field": field_name,
        "attribute_id": 0,
        "attribute_name": "",
    }


# The demo catalogue's own pictures stand for Ozon's CDN: reachable, though under `.invalid`.
OZON_CDN = urlsplit(IMAGE_HOST).hostname


def unreachable(url: str) -> bool:
    """Whether Ozon's downloader could not fetch `url` (the sandbox fetches nothing)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if host == OZON_CDN and parts.scheme == "https":
        return False
    return (
        parts.scheme not in ("http", "https")
        or not host
        or host == "invalid"
        or host.endswith(".invalid")
        or host == "localhost"
        or host.endswith(".localhost")
        or host.startswith("127.")
        or host in ("::1", "0.0.0.0")  # noqa: S104 - a URL host, not a binding
    )


def _pictures(item: dict[str, Any], where: str) -> tuple[tuple[str, ...], str]:
    """The product's new pictures (main first) and color image; 400 for a malformed item."""
    offer_id = item.get("offer_id")
    if not isinstance(offer_id, str) or not offer_id:
        raise invalid_argument(f"{where}.offer_id: value is required")
    images = item.get("images") or []
    if not isinstance(images, list) or not all(isinstance(url, str) and url for url in images):
        raise invalid_argument(f"{where}.images: expected an array of URLs")
    for name in ("primary_image", "color_image"):
        if item.get(name) is not None and not isinstance(item[name], str):
            raise invalid_argument(f"{where}.{name}: expected a string")
    primary = item.get("primary_image") or ""
    ordered = tuple(dict.fromkeys([primary, *images] if primary else images))
    if not ordered:
        raise invalid_argument(f"{where}: send at least one image in images or primary_image")
    if len(ordered) > MAX_IMAGES:
        raise invalid_argument(f"{where}.images: at most {MAX_IMAGES} images per product, got {len(ordered)}")
    return ordered, item.get("color_image") or ""


class PictureDesk:
    """Picture import tasks, the per-minute item quota and the last download errors per product."""

    def __init__(
        self, clock: Callable[[], float], *, delay_s: float, per_minute: int, first_id: int = FIRST_TASK_ID
    ) -> None:
        if delay_s < 0:
            raise ValueError("pictures_delay_s must be ≥ 0")
        if per_minute < 0:
            raise ValueError("pictures_per_minute must be ≥ 0 (0 = no quota)")
        self.clock = clock
        # Ozon's task ids are unique across sellers: each sandbox account numbers its own from its own start.
        self.first_id = first_id
        self.delay_s = delay_s
        self.per_minute = per_minute
        self.lock = threading.Lock()
        self.tasks: dict[int, PictureTask] = {}
        # Every accepted import's `items`, as received, oldest first.
        self.imports: list[list[Any]] = []
        self._queue: list[tuple[float, int]] = []
        self._used: deque[tuple[float, int]] = deque()
        self._errors: dict[int, list[dict[str, str]]] = {}

    def take_quota(self, count: int) -> None:
        """Spend `count` items of this minute's quota, or raise Ozon's 429 (nothing spent)."""
        if not self.per_minute:
            return
        now = self.clock()
        used = self._used
        while used and used[0][0] <= now - MINUTE_S:
            used.popleft()
        remaining = self.per_minute - sum(n for _t, n in used)
        if count > remaining:
            wait_s = max(1, math.ceil(used[0][0] + MINUTE_S - now)) if used else 60
            raise OzonError(
                429,
                "RESOURCE_EXHAUSTED",
                f"You have reached operation items limits. Retry after {wait_s} seconds. Remaining {remaining} items",
                {"Item-Retry-After": str(math.ceil(wait_s / 60)), "Item-Rate-Limit-Remaining": str(remaining)},
            )
        used.append((now, count))

    def submit(self, sandbox: Shop, items: list[dict[str, Any]], parsed: list[tuple]) -> int:
        with self.lock:
            self.take_quota(len(items))
            task_id = self.first_id + len(self.tasks)
            catalog = sandbox.catalog
            task_items = []
            for item, (images, color) in zip(items, parsed, strict=True):
                index = catalog.index_of_offer_id(item["offer_id"])
                product = catalog.product(index) if index is not None else None
                task_items.append(
                    PictureItem(
                        offer_id=item["offer_id"],
                        index=index,
                        images=images,
                        color_image=color,
                        product_id=product.product_id if product is not None else 0,
                    )
                )
            task = PictureTask(task_id, self.clock() + self.delay_s, task_items)
            self.tasks[task_id] = task
            self.imports.append(items)
            heapq.heappush(self._queue, (task.due, task_id))
        self.settle(sandbox)
        return task_id

    def settle(self, sandbox: Shop) -> None:
        """Finish every task that fell due (one comparison when none did)."""
        queue = self._queue
        if not queue or queue[0][0] > self.clock():
            return
        with self.lock:
            now = self.clock()
            while queue and queue[0][0] <= now:
                _due, task_id = heapq.heappop(queue)
                for item in self.tasks[task_id].items:
                    self._finish(sandbox, item)

    def _finish(self, sandbox: Shop, item: PictureItem) -> None:
        product = sandbox.catalog.product(item.index) if item.index is not None else None
        if product is None:
            item.status = "failed"
            item.errors = [
                item_error(
                    "NOT_FOUND_ERROR", "product not found", "offer_id", f"no product with offer_id {item.offer_id}"
                )
            ]
            return
        item.product_id = product.product_id
        urls = [(url, "images") for url in item.images] + (
            [(item.color_image, "color_image")] if item.color_image else []
        )
        bad = [(url, name) for url, name in urls if unreachable(url)]
        if bad:
            item.status = "failed"
            item.errors = [
                item_error(
                    "image_download_failed", f"failed to download image {url}", name, f"Ozon could not download {url}"
                )
                for url, name in bad
            ]
            self._errors[product.index] = [{"message": f"failed to download image {url}", "url": url} for url, _ in bad]
            return
        self._errors.pop(product.index, None)
        if (product.images, product.color_image) == (item.images, item.color_image):
            item.status = "skipped"
            return
        sandbox.catalog.update(product.product_id, images=item.images, color_image=item.color_image)
        item.status = "imported"

    def errors(self, index: int) -> list[dict[str, str]]:
        with self.lock:
            return list(self._errors.get(index, []))


def pictures_import(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v2/product/pictures/import — ≤ 100 items; answers a task to poll."""
    body = request.body
    items = body.get("items")
    if "images360" in body or (
        isinstance(items, list) and any(isinstance(i, dict) and "images360" in i for i in items)
    ):
        raise invalid_argument(NO_360)
    if not isinstance(items, list) or not items:
        raise invalid_argument("items: value is required: from 1 to 100 products")
    if len(items) > MAX_ITEMS:
        raise invalid_argument(f"items: at most {MAX_ITEMS} products per request, got {len(items)}")
    parsed = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid_argument(f"items[{position}]: expected an object")
        parsed.append(_pictures(item, f"items[{position}]"))
    return {"task_id": sandbox.pictures.submit(sandbox, items, parsed)}


def import_info(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/product/import/info — the state of a picture import task."""
    raw = request.body.get("task_id")
    if not (type(raw) is int or (type(raw) is str and raw.isdigit())):
        raise invalid_argument("task_id: value is required and must be an int64")
    desk = sandbox.pictures
    with desk.lock:
        task = desk.tasks.get(int(raw))
        if task is None:
            raise OzonError(404, 5, f"task {raw} not found")
        items = [item.answer() for item in task.items]
    return {"result": {"items": items, "total": len(items)}}


def pictures_info(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v2/product/pictures/info — the pictures Ozon holds now."""
    product_ids = int64_list(request.body, "product_id", most=MAX_PRODUCT_IDS)
    answer = []
    for product_id in dict.fromkeys(product_ids):
        product = sandbox.catalog.by_product_id(product_id)
        if product is None:
            continue
        answer.append(
            {
                "product_id": product.product_id,
                "primary_photo": [product.primary_image] if product.primary_image else [],
                "photo": list(product.images),
                "color_photo": [product.color_image] if product.color_image else [],
                "errors": sandbox.pictures.errors(product.index),
            }
        )
    return {"items": answer}


PICTURE_ROUTES: dict[str, Route] = {
    "/v2/product/pictures/import": Route(pictures_import),
    "/v1/product/import/info": Route(import_info),
    "/v2/product/pictures/info": Route(pictures_info),
}

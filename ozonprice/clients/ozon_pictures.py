"""Ozon's current pictures API (docs/ozon-api.md §5b–5c), mixed into `OzonClient`.

* `POST /v2/product/pictures/import`: ≤ 100 items keyed by `offer_id`, each a
  full replacement of the product's pictures; answers a `task_id`. There is no
  `images360` any more (removed 10 Jul 2026) and the v1 import is switched off.
* `POST /v1/product/import/info`: the task's items, `pending` until Ozon has
  processed them, then `imported` / `failed` / `skipped`.
* `POST /v2/product/pictures/info`: the pictures a product holds now.

A picture import is a write: never re-sent after a timeout or a 5xx (the seam
re-sends only what certainly did not run, e.g. a 429). Ozon's per-minute item
quota answers 429 with `Item-Retry-After` in minutes; the seam turns it into
`ApiError.retry_after` in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ozonprice.clients.ozon_values import reading

if TYPE_CHECKING:
    from ozonprice.clients.http import HttpSeam

# Ozon's documented maxima (§5b, §5c).
IMPORT_MAX_ITEMS = 100
IMAGES_MAX = 50
PICTURES_INFO_MAX_IDS = 1000
PICTURES_IMPORT = "/v2/product/pictures/import"
IMPORT_INFO = "/v1/product/import/info"
PICTURES_INFO = "/v2/product/pictures/info"
FINAL_STATUSES = frozenset({"imported", "failed", "skipped"})


@dataclass(frozen=True)
class ImportItemResult:
    """One product of an import task, as `/v1/product/import/info` reports it."""

    offer_id: str
    product_id: int
    status: str  # pending | imported | failed | skipped
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.status in FINAL_STATUSES

    def as_dict(self) -> dict[str, Any]:
        return {"offer_id": self.offer_id, "product_id": self.product_id, "status": self.status, "errors": self.errors}


@dataclass(frozen=True)
class ProductPictures:
    """The pictures a product holds on Ozon now (`/v2/product/pictures/info`)."""

    product_id: int
    primary: list[str]
    photos: list[str]
    color: list[str]
    # URLs the last import could not download: `{message, url}`.
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def images(self) -> list[str]:
        """Every picture, the main one first (whether or not `photo` repeats it)."""
        return list(dict.fromkeys([*self.primary, *self.photos]))

    @property
    def color_image(self) -> str:
        return self.color[0] if self.color else ""


def picture_item(
    *, offer_id: str, images: Sequence[str], primary_image: str | None = None, color_image: str | None = None
) -> dict[str, Any]:
    """One item of a v2 picture import; empty optional fields are left out, not sent blank."""
    item: dict[str, Any] = {"offer_id": offer_id, "images": list(images)}
    if primary_image:
        item["primary_image"] = primary_image
    if color_image:
        item["color_image"] = color_image
    return item


class PicturesMixin:
    """The three pictures methods; needs only `self.http` (the seam)."""

    http: HttpSeam

    def pictures_import(self, items: Sequence[Mapping[str, Any]]) -> int:
        """Send ≤ 100 full picture replacements (see `picture_item`); answers Ozon's `task_id`."""
        if not items:
            raise ValueError("a picture import needs at least one item")
        if len(items) > IMPORT_MAX_ITEMS:
            raise ValueError(f"Ozon takes at most {IMPORT_MAX_ITEMS} items per picture import, got {len(items)}")
        payload = {"items": [dict(item) for item in items]}
        data = self.http.post(PICTURES_IMPORT, payload, idempotent=False, products_count=len(items)).data
        with reading(PICTURES_IMPORT):
            return int(data["task_id"])

    def import_info(self, task_id: int) -> list[ImportItemResult]:
        """The items of an import task and their state."""
        data = self.http.post(
            IMPORT_INFO, {"task_id": int(task_id)}, idempotent=True, products_count=lambda d: len(d["result"]["items"])
        ).data
        with reading(IMPORT_INFO):
            return [
                ImportItemResult(
                    offer_id=str(row.get("offer_id") or ""),
                    product_id=int(row.get("product_id") or 0),
                    status=str(row["status"]),
                    errors=[_item_error(error) for error in row.get("errors") or []],
                )
                for row in data["result"]["items"]
            ]

    def pictures_info(self, product_ids: Sequence[int]) -> dict[int, ProductPictures]:
        """The pictures of ≤ 1000 products, by product_id (products Ozon does not know are absent)."""
        if len(product_ids) > PICTURES_INFO_MAX_IDS:
            raise ValueError(f"Ozon takes at most {PICTURES_INFO_MAX_IDS} ids per call, got {len(product_ids)}")
        if not product_ids:
            return {}
        payload = {"product_id": [str(pid) for pid in product_ids]}
        data = self.http.post(PICTURES_INFO, payload, idempotent=True, products_count=len(product_ids)).data
        with reading(PICTURES_INFO):
            answer = {}
            for row in data["items"]:
                pictures = ProductPictures(
                    product_id=int(row["product_id"]),
                    primary=_urls(row.get("primary_photo")),
                    photos=_urls(row.get("photo")),
                    color=_urls(row.get("color_photo")),
                    errors=[
                        {"message": str(e.get("message") or ""), "url": str(e.get("url") or "")}
                        for e in row.get("errors") or []
                    ],
                )
                answer[pictures.product_id] = pictures
            return answer


def _urls(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a list of URLs, got {type(value).__name__}")
    return [str(url) for url in value if url]


def _item_error(error: Mapping[str, Any]) -> dict[str, str]:
    """The parts of Ozon's `v1ItemError` a person needs to act on."""
    return {
        "code": str(error.get("code") or ""),
        "message": str(error.get("message") or ""),
        "field": str(error.get("field") or ""),
        "description": str(error.get("description") or ""),
    }

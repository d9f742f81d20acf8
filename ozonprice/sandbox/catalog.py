"""The sandbox's catalogue: `size` demo products plus what changed since.

Products themselves are pure functions of `(seed, i)` (`products.py`); the
catalogue keeps only what tests (and, later, the sandbox's write endpoints)
change: one state byte per product and small override dicts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ozonprice.sandbox.products import (
    OFFER_PREFIX,
    PRODUCT_ID_BASE,
    SKU_BASE,
    DemoProduct,
    archived_by_default,
    demo_product,
    offer_id_of,
    rub,
)

__all__ = ["ACTIVE", "ARCHIVED", "REMOVED", "Catalog", "DemoProduct", "demo_product"]

# Per-index states, one byte each (see Catalog._states).
REMOVED, ACTIVE, ARCHIVED = 0, 1, 2

_MONEY_FIELDS = frozenset({"price", "old_price", "min_price", "marketing_seller_price", "net_price"})
_FIELDS = frozenset(DemoProduct._fields) - {"index", "product_id", "offer_id", "sku", "archived"}


class Catalog:
    """`size` demo products for `seed`, plus what has been changed since.

    Reads take no lock: each is a single dict/bytearray operation, atomic under
    the GIL. Writes take `_lock` so that read-modify-write sequences stay whole.
    """

    def __init__(self, size: int, seed: int = 1, *, first: int = 1) -> None:
        if size < 0:
            raise ValueError("size must be ≥ 0")
        if first < 1:
            raise ValueError("first must be ≥ 1")
        self.seed = seed
        # The first index: another account's catalogue starts further on, so its product_ids, SKUs and
        # offer_ids differ from the first's (Ozon's product_id and SKU are unique across sellers).
        self.first = first
        self._size = size
        self._lock = threading.RLock()
        self._overrides: dict[int, dict[str, Any]] = {}
        # One byte per index (0 … size): REMOVED / ACTIVE / ARCHIVED. Built on first
        # use (≈50 ms per 100,000) so paging can skip states with bytearray.find in C.
        self._states: bytearray | None = None
        # Bumped on every state change; keys the cached `active_indices`.
        self._version = 0
        self._active: tuple[int, list[int]] | None = None

    # --- identifiers -----------------------------------------------------------
    @property
    def size(self) -> int:
        return self._size

    @property
    def last(self) -> int:
        """The last index (first - 1 when the catalogue is empty)."""
        return self.first + self._size - 1

    def _in_range(self, i: int) -> int | None:
        return i if self.first <= i <= self.last else None

    def index_of_product_id(self, product_id: Any) -> int | None:
        return self._in_range(int(product_id) - PRODUCT_ID_BASE)

    @staticmethod
    def index_of_product_id_unchecked(product_id: int) -> int:
        """The index a product_id maps to, in range or not (paging positions)."""
        return max(product_id - PRODUCT_ID_BASE, 0)

    @staticmethod
    def product_id_of(index: int) -> int:
        return PRODUCT_ID_BASE + index

    def index_of_sku(self, sku: Any) -> int | None:
        return self._in_range(int(sku) - SKU_BASE)

    def index_of_offer_id(self, offer_id: Any) -> int | None:
        text = str(offer_id)
        if not text.startswith(OFFER_PREFIX) or not text[len(OFFER_PREFIX) :].isdigit():
            return None
        i = int(text[len(OFFER_PREFIX) :])
        return self._in_range(i) if offer_id_of(i) == text else None

    # --- states ----------------------------------------------------------------
    @property
    def states(self) -> bytearray:
        if self._states is None:
            with self._lock:
                if self._states is None:
                    # Indices below `first` (0 included) are never products.
                    self._states = bytearray(self.first) + self._build_states(self.first, self.last)
        return self._states

    def _build_states(self, first: int, last: int) -> bytearray:
        seed = self.seed
        return bytearray(ARCHIVED if archived_by_default(seed, i) else ACTIVE for i in range(first, last + 1))

    def state(self, i: int) -> int:
        return self.states[i] if self.first <= i <= self.last else REMOVED

    def count(self, state: int) -> int:
        return self.states.count(state, self.first)

    def active_indices(self) -> list[int]:
        """Every ACTIVE index, ascending (shared: do not change it). Rebuilt only after a state change."""
        cached = self._active
        if cached is not None and cached[0] == self._version:
            return cached[1]
        with self._lock:
            version, states = self._version, self.states
            indices, find, position = [], states.find, 1
            while (position := find(ACTIVE, position)) >= 0:
                indices.append(position)
                position += 1
            self._active = (version, indices)
            return indices

    def scan(self, state: int, after: int, limit: int) -> tuple[list[int], bool]:
        """Up to `limit` indices in `state` after index `after`, and whether more follow."""
        states = self.states
        found: list[int] = []
        find = states.find
        position = after + 1
        while len(found) < limit:
            position = find(state, position)
            if position < 0:
                return found, False
            found.append(position)
            position += 1
        return found, find(state, position) >= 0

    # --- reading products -----------------------------------------------------
    def product(self, i: int) -> DemoProduct | None:
        """Product `i` as it is now; None if it is out of range or removed."""
        state = self.state(i)
        if state == REMOVED:
            return None
        product = demo_product(self.seed, i)
        changes = self._overrides.get(i)
        if changes:
            product = product._replace(**changes)
        archived = state == ARCHIVED
        if product.archived != archived:
            product = product._replace(archived=archived)
        return product

    def by_product_id(self, product_id: Any) -> DemoProduct | None:
        i = self.index_of_product_id(product_id)
        return self.product(i) if i is not None else None

    # --- changing products -----------------------------------------------------
    def update(self, product_id: Any, /, **changes: Any) -> DemoProduct:
        """Change fields of one product (money as str/int/Decimal). Returns the new state.

        Lowering `price` below the seller's promotion price pulls
        `marketing_seller_price` down with it, since Ozon keeps it ≤ price.
        """
        unknown = set(changes) - _FIELDS
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}; allowed: {sorted(_FIELDS)}")
        with self._lock:
            current = self.by_product_id(product_id)
            if current is None:
                raise KeyError(f"no product {product_id} in the sandbox")
            clean: dict[str, Any] = {k: rub(v) if k in _MONEY_FIELDS else v for k, v in changes.items()}
            if "images" in clean:
                clean["images"] = tuple(clean["images"])
            if "price" in clean and "marketing_seller_price" not in clean:
                clean["marketing_seller_price"] = min(current.marketing_seller_price, clean["price"])
            clean.setdefault("updated_at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
            merged = {**self._overrides.get(current.index, {}), **clean}
            self._overrides[current.index] = merged
            return self.product(current.index)  # type: ignore[return-value]

    def _set_state(self, product_ids: Iterable[Any], state: int, only_from: tuple[int, ...]) -> int:
        changed = 0
        with self._lock:
            states = self.states
            for product_id in product_ids:
                i = self.index_of_product_id(product_id)
                if i is not None and states[i] in only_from:
                    states[i] = state
                    changed += 1
            self._version += 1
        return changed

    def archive(self, product_ids: Iterable[Any]) -> int:
        return self._set_state(product_ids, ARCHIVED, (ACTIVE,))

    def unarchive(self, product_ids: Iterable[Any]) -> int:
        return self._set_state(product_ids, ACTIVE, (ARCHIVED,))

    def remove(self, product_ids: Iterable[Any]) -> int:
        """Products deleted on Ozon: they vanish from every answer."""
        return self._set_state(product_ids, REMOVED, (ACTIVE, ARCHIVED))

    def restore(self, product_ids: Iterable[Any]) -> int:
        """Undo `remove`: the product comes back as generated (archived or not)."""
        changed = 0
        with self._lock:
            states = self.states
            for product_id in product_ids:
                i = self.index_of_product_id(product_id)
                if i is not None and states[i] == REMOVED:
                    states[i] = ARCHIVED if archived_by_default(self.seed, i) else ACTIVE
                    changed += 1
            self._version += 1
        return changed

    def add_products(self, count: int) -> list[int]:
        """Grow the catalogue by `count` new products; returns their product_ids."""
        with self._lock:
            first = self.last + 1
            self.states.extend(self._build_states(first, self.last + count))
            self._size += count
            self._version += 1
        return [PRODUCT_ID_BASE + i for i in range(first, first + count)]

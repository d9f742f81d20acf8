"""Keep a sandbox's state across restarts: `state_dump` / `state_load`, a JSON document.

The demo (`make run`) keeps its database across restarts, so its Ozon must keep
what it was told too: otherwise a restarted sandbox shows the seeded prices
again, the next sync reads them, and maintenance sends every price once more.
The catalogue is a pure function of (seed, index), so only what changed since
is kept: the catalogue's overrides and states, the flags, rejections and hourly
budget of price imports, the storefront's discounts and followed prices, who is
in which promotion, the min-price timers and the buyer discount decisions.

Not kept: picture tasks, imports not yet applied (settled before a dump), the
log of import batches, call counters and injected faults. Times on the
sandbox's clock are kept relative to "now", so a restart neither ages nor
rejuvenates a timer. A document for another catalogue (products, seed) is refused.
"""

from __future__ import annotations

import json
import os
from collections import deque
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.discounts import APPROVED
from ozonprice.sandbox.promotions import Member

if TYPE_CHECKING:
    from ozonprice.sandbox.server import OzonSandbox
    from ozonprice.sandbox.shop import Shop

__all__ = ["STATE_VERSION", "state_dump", "state_load", "state_read", "state_write"]

# 2: one document per account (`accounts`, by Client-Id); 1 (one account) still loads.
STATE_VERSION = 2


def _encode(value: Any) -> Any:
    """JSON for the override values: Decimals and datetimes tagged, tuples as lists."""
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$d"}:
            return Decimal(value["$d"])
        if set(value) == {"$t"}:
            return datetime.fromisoformat(value["$t"])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    return value


def state_dump(sandbox: OzonSandbox) -> dict[str, Any]:
    """What this sandbox holds beyond its seeded catalogues, as plain JSON data: one document per account."""
    sandbox.settle()
    return {
        "version": STATE_VERSION,
        "accounts": {client_id: _shop_dump(shop) for client_id, shop in sandbox.shops.items()},
    }


def _shop_dump(sandbox: Shop) -> dict[str, Any]:
    now = sandbox.clock()
    catalog, desk, storefront = sandbox.catalog, sandbox.price_desk, sandbox.storefront
    promotions, discounts = sandbox.promotions, sandbox.discounts
    with catalog._lock:
        overrides = {str(i): _encode(changes) for i, changes in catalog._overrides.items()}
        # From the first index: the indices before it (other accounts' numbers) are never products.
        states = catalog.states[catalog.first :].hex()
        size, first = catalog.size, catalog.first
    with desk.lock:
        flags = {str(i): _encode(flags) for i, flags in desk._flags.items()}
        rejections = {str(i): list(pair) for i, pair in desk._rejections.items()}
        changes = {str(i): [t - now for t in window] for i, window in desk._changes.items() if window}
    with promotions.lock:
        actions = {
            str(action_id): {str(i): [m.add_mode, m.removable] for i, m in action.members.items()}
            for action_id, action in promotions.actions.items()
        }
        seller_actions = {
            str(action_id): sorted(action.members) for action_id, action in promotions.seller_actions.items()
        }
        timers = {str(i): ends - now for i, ends in promotions._timers.items()}
    with discounts.lock:
        requests = {
            str(task.id): {
                "status": task.status,
                "approved_price": str(task.approved_price),
                "approved_quantity_max": task.approved_quantity_max,
                "moderated": None if task.moderated is None else task.moderated - now,
                "seller_comment": task.seller_comment,
            }
            for task in discounts.tasks.values()
        }
    return {
        "seed": catalog.seed,
        "products": size,
        "first": first,
        "catalog": {"overrides": overrides, "states": states},
        "prices": {"flags": flags, "rejections": rejections, "changes": changes},
        "storefront": {
            "discounts": {str(i): str(p) for i, p in storefront._discounts.items()},
            "followed": {str(i): str(p) for i, p in storefront._followed.items()},
        },
        "promotions": {"actions": actions, "seller_actions": seller_actions, "timers": timers},
        "discount_requests": requests,
    }


def state_load(sandbox: OzonSandbox, data: dict[str, Any]) -> None:
    """Put a `state_dump` back into a sandbox built with the same catalogues (and demo promotions, if any).

    Accounts of the sandbox the document does not name start afresh; a version-1 document (one
    account, before several) is the first account's.
    """
    version = data.get("version")
    if version == 1:
        _shop_load(sandbox.shop, data)
        return
    if version != STATE_VERSION:
        raise ValueError(f"sandbox state version {version!r}; this sandbox reads {STATE_VERSION}")
    for client_id, saved in data["accounts"].items():
        if client_id not in sandbox.shops:
            raise ValueError(f"the sandbox state has the account {client_id!r}, which this sandbox does not serve")
        _shop_load(sandbox.shops[client_id], saved)


def _shop_load(sandbox: Shop, data: dict[str, Any]) -> None:
    catalog = sandbox.catalog
    first = data.get("first", 0)  # version 1 kept the states from index 0
    if (data.get("seed"), data.get("products"), first or catalog.first) != (catalog.seed, catalog.size, catalog.first):
        raise ValueError(
            f"the sandbox state of {sandbox.client_id} is for {data.get('products')} products of seed "
            f"{data.get('seed')}, not {catalog.size} of seed {catalog.seed}"
        )
    now = sandbox.clock()
    with catalog._lock:
        catalog._overrides = {int(i): _decode(changes) for i, changes in data["catalog"]["overrides"].items()}
        catalog._states = bytearray(first) + bytearray.fromhex(data["catalog"]["states"])
        catalog._version += 1
    desk, prices = sandbox.price_desk, data["prices"]
    with desk.lock:
        desk._flags = {int(i): dict(_decode(flags)) for i, flags in prices["flags"].items()}
        desk._rejections = {int(i): (code, message) for i, (code, message) in prices["rejections"].items()}
        desk._changes = {int(i): deque(now + age for age in ages) for i, ages in prices["changes"].items()}
    storefront = sandbox.storefront
    storefront._discounts = {int(i): Decimal(p) for i, p in data["storefront"]["discounts"].items()}
    storefront._followed = {int(i): Decimal(p) for i, p in data["storefront"]["followed"].items()}
    _promotions_load(sandbox, data["promotions"], now=now)
    _discount_requests_load(sandbox, data["discount_requests"], now=now)


def _promotions_load(sandbox: Shop, data: dict[str, Any], *, now: float) -> None:
    promotions = sandbox.promotions
    with promotions.lock:
        promotions._in_actions, promotions._in_seller_actions = {}, {}
        for action_id, action in promotions.actions.items():
            members = data["actions"].get(str(action_id), {})
            action.members = {int(i): Member(mode, removable) for i, (mode, removable) in members.items()}
            for i in action.members:
                promotions._in_actions.setdefault(i, set()).add(action_id)
        for action_id, seller_action in promotions.seller_actions.items():
            seller_action.members = {int(i) for i in data["seller_actions"].get(str(action_id), [])}
            for i in seller_action.members:
                promotions._in_seller_actions.setdefault(i, set()).add(action_id)
        promotions._timers = {int(i): now + left for i, left in data["timers"].items()}


def _discount_requests_load(sandbox: Shop, data: dict[str, Any], *, now: float) -> None:
    desk = sandbox.discounts
    with desk.lock:
        desk._approved = {}
        for task in desk.tasks.values():
            saved = data.get(str(task.id))
            if saved is None:
                continue
            task.status, task.seller_comment = saved["status"], saved["seller_comment"]
            task.approved_price = Decimal(saved["approved_price"])
            task.approved_quantity_max = saved["approved_quantity_max"]
            task.moderated = None if saved["moderated"] is None else now + saved["moderated"]
            if task.status == APPROVED:
                desk._approved.setdefault(task.index, []).append(task)


def state_read(path: Path) -> dict[str, Any] | None:
    """The saved document, or None when there is none yet."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def state_write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (a temporary file renamed over the old one): a crash mid-write keeps the last state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, sort_keys=True))
    os.replace(temporary, path)

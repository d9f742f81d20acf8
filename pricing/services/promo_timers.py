"""The min-price timer: Ozon honours `min_price` in its automatic promotions only while it runs.

Maintenance sends `min_price` = MRPC with `min_price_for_auto_actions_enabled`;
Ozon keeps automatic promotions above that floor only until the product's
timer (`/v1/product/action/timer/status` → `expired_at`) runs out. The guard
reads every watched SKU's timer, stores when it runs out
(`Sku.promo_timer_expires_at`, the dashboard counts the lapsed ones) and
renews those that run out within `RENEW_MARGIN`, reading them back.

Renewing is done in `remove` mode only (not in a dry run, nor with the promo
guard setting off): a running timer lifts the action prices of Ozon's automatic
promotions, so it changes what Ozon holds, and `report` changes nothing on Ozon.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ozon_actions import TIMER_MAX
from ozonprice.db import rows_update
from ozonprice.leases import Lease
from pricing.services.guard import GuardResult, Watched, chunked

# Renew a timer that runs out within a day: the guard runs every few minutes, so a
# day leaves many runs to try again if Ozon fails, without renewing on every run.
RENEW_MARGIN = timedelta(days=1)


def promo_timers_keep(
    client: OzonClient, lease: Lease | None, *, watched: list[Watched], renew: bool, result: GuardResult
) -> None:
    """Read (≤ 1000 ids a call), store and, with `renew`, renew the watched SKUs' min-price timers."""
    ids = [w.product_id for w in watched]
    expires = _read(client, ids)
    now = timezone.now()
    result.timers_checked += len(ids)
    result.timers_lapsed += sum(1 for pid in ids if _lapsed(expires.get(pid), now))
    try:
        if renew:
            due = [pid for pid in ids if _lapsed(expires.get(pid), now + RENEW_MARGIN)]
            for batch in chunked(due, TIMER_MAX):
                if lease is not None and lease.lost:
                    result.fail(_("The guard lost its lease; it stopped before renewing more timers."))
                    return
                client.timer_update(product_ids=list(batch))
                result.timers_renewed += len(batch)
                expires.update(_read(client, list(batch)))
    finally:
        _store(watched, expires)


def _lapsed(expires_at, moment) -> bool:
    """No timer reported counts as run out: nothing keeps the floor in force."""
    return expires_at is None or expires_at <= moment


def _read(client: OzonClient, ids: list[int]) -> dict[int, object]:
    expires: dict[int, object] = {}
    for batch in chunked(ids, TIMER_MAX):
        for status in client.timer_status(product_ids=list(batch)):
            expires[status.product_id] = status.expires_at
    return expires


def _store(watched: list[Watched], expires: dict) -> None:
    rows = []
    for target in watched:
        if target.product_id in expires:
            sku = Sku(pk=target.id)
            sku.promo_timer_expires_at = expires[target.product_id]
            rows.append(sku)
    for batch in chunked(rows, 1000):
        rows_update(list(batch), ["promo_timer_expires_at"])

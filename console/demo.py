"""Seed the `make run` demo so that its first look tells the product's story.

`demo_seed()` runs once, after the first catalogue sync against the sandbox, for
each active account (the demo has two, `demo_setup`): it makes the account's
showcase source Ozon's prices/details (what buyers see), gives a dozen of its
in-stock SKUs an MRPC (10 % over today's price, a few with a shown discount) and
switches maintenance on, plus one SKU whose MRPC is 60 % over its price (Ozon's
price quarantine holds that change for approval). Then the real services run
for that account, as its schedules would: maintenance sends, verification
confirms, the storefront guard reports the promotions under MRPC.

A marketplace discount is only recorded once the verification window has
passed (the showcase may lag); the demo moves the send time of those changes
back by the window, so the first look shows one instead of 30 minutes later.
That is the only thing the seeding fakes.

It never runs twice: an account where any SKU has an MRPC is someone's work
(or an earlier seeding) and is left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F
from django.utils import timezone

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from ozonprice.models import Account, RuntimeSettings, ShowcaseSource
from pricing.models import ChangeStatus, PriceChange
from pricing.services.edits import sku_inputs_set, skus_activate
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard
from pricing.services.verify import price_changes_verify

logger = logging.getLogger(__name__)

ACTIVE_SKUS = 12
RAISE = Decimal("1.10")  # MRPC over today's price: every active SKU gets a change to send
QUARANTINE_RAISE = Decimal("1.60")  # 50 % or more: held for a manager's approval
DISCOUNTS = (Decimal("0"), Decimal("10"), Decimal("0"), Decimal("20"))  # the shown discount, in turn


@dataclass
class DemoSeedResult:
    seeded: bool = False
    active: int = 0
    held: int = 0
    accounts: list[str] = field(default_factory=list)  # the names of the accounts seeded now
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.seeded:
            return "demo seed: skipped (SKUs with MRPC exist already)"
        return (
            f"demo seed: {self.active} SKUs with MRPC and maintenance on, {self.held} held, "
            f"in {', '.join(self.accounts)}; " + "; ".join(self.notes)
        )


def _roubles(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), ROUND_HALF_UP)


def _candidates(account: Account) -> list[Sku]:
    """The account's in-stock SKUs with a price and a showcase price, some whose showcase Ozon discounts first."""
    rows = Sku.objects.filter(
        account=account,
        available=True,
        archived=False,
        missing_since__isnull=True,
        price__gt=0,
        front_price__isnull=False,
    ).order_by("id")
    discounted = list(rows.filter(front_price__lt=F("price"))[:2])
    others = [sku for sku in rows[: ACTIVE_SKUS + 1 + len(discounted)] if sku not in discounted]
    return (discounted + others)[: ACTIVE_SKUS + 1]


def _price(sku: Sku) -> Decimal:
    assert sku.price is not None, "_candidates reads SKUs with price__gt=0 only"
    return sku.price


def demo_seed() -> DemoSeedResult:
    """Seed each active account once: MRPC and maintenance on a few SKUs, then the services' real runs.

    An account where any SKU has an MRPC is left alone (see the module doc).
    """
    result = DemoSeedResult()
    for account in Account.objects.filter(active=True).order_by("id"):
        if Sku.objects.filter(account=account, mrpc__isnull=False).exists():
            continue
        result.seeded = True
        result.accounts.append(account.name)
        _account_seed(account, result)
    if result.seeded:
        logger.info("%s", result.summary())
    return result


def _account_seed(account: Account, result: DemoSeedResult) -> None:
    def note(text: str) -> None:
        result.notes.append(f"{account.name}: {text}")

    # The showcase as buyers see it (Ozon's prices/details; the sandbox has Premium Pro): with the seller's
    # price as its upper bound, no marketplace discount or promotion would ever show.
    if account.showcase_source != ShowcaseSource.OZON_DETAILS:
        account.showcase_source = ShowcaseSource.OZON_DETAILS
        account.save(update_fields=["showcase_source"])
    note(showcase_prices_fetch(account=account).summary())
    chosen = _candidates(account)
    if not chosen:
        note("no SKU in stock to seed: run ozon_sync first")
        return
    quarantined, regular = chosen[-1], chosen[:-1]
    items = [
        {"sku": sku.offer_id, "mrpc": _roubles(_price(sku) * RAISE), "discount": DISCOUNTS[n % len(DISCOUNTS)]}
        for n, sku in enumerate(regular)
    ]
    items.append({"sku": quarantined.offer_id, "mrpc": _roubles(_price(quarantined) * QUARANTINE_RAISE)})
    edited = sku_inputs_set(items=items, account=account)
    refused = {error["sku"] for error in edited.errors}  # a discount Ozon would refuse at that MRPC
    sku_inputs_set(items=[{"sku": i["sku"], "mrpc": i["mrpc"]} for i in items if i["sku"] in refused], account=account)
    activation = skus_activate(product_ids=[sku.product_id for sku in chosen], account=account)
    result.active += len(activation.activated)
    maintained = prices_maintain(account=account)
    result.held += maintained.held
    note(maintained.summary())
    note(price_changes_verify(account=account).summary())
    # The verification window, fast-forwarded for changes Ozon holds but whose showcase is lower.
    window = timedelta(minutes=RuntimeSettings.load().verification_window)
    lagging = PriceChange.objects.filter(sku__account=account, status=ChangeStatus.APPLIED, finished_at__isnull=True)
    if lagging.update(sent_at=timezone.now() - window - timedelta(minutes=1)):
        note(price_changes_verify(account=account).summary())
    note(promotions_guard(account=account).summary())

"""The sandbox's demo products: product `i` is a pure function of `(seed, i)`.

`demo_product(seed, i)` builds one on demand, so 100,000 products cost nothing
until asked for, and tests can compute what the sandbox will answer.
Identifiers are derived from the index, so lookups need no tables:
product_id = 100000000 + i, sku = 200000000 + i, offer_id = "ART-%06d" % i.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from ozonprice.sandbox.names import COLOURS, KINDS

PRODUCT_ID_BASE = 100_000_000
SKU_BASE = 200_000_000
OFFER_PREFIX = "ART-"
IMAGE_HOST = "https://cdn.sandbox.invalid"
PRICE_FLOOR, PRICE_CEILING = 150, 50_000
# Share of products archived by default (per mille).
ARCHIVED_PER_MILLE = 50

CENT = Decimal("0.01")
_MASK64 = (1 << 64) - 1
# created_at falls in 2023–2024, updated_at up to 300 days later (UTC).
_EPOCH_START = 1_672_531_200
_CREATED_SPAN = 2 * 365 * 86_400
_UPDATED_SPAN = 300 * 86_400


def _mix(seed: int, i: int, salt: int) -> int:
    """A 64-bit hash of (seed, i, salt) (splitmix64): cheap enough to run over every index."""
    x = (seed * 0x9E3779B97F4A7C15 + i * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB) & _MASK64
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def archived_by_default(seed: int, i: int) -> bool:
    """Whether product `i` starts archived (about 5 %). Kept separate from
    `demo_product` because the catalogue runs it over every index once."""
    return _mix(seed, i, 1) % 1000 < ARCHIVED_PER_MILLE


def offer_id_of(i: int) -> str:
    return f"{OFFER_PREFIX}{i:06d}"


def rub(value: Any) -> Decimal:
    """A money amount as Decimal with exactly two places (accepts str, int, float, Decimal)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _iso(ts: int, micros: int) -> str:
    """RFC 3339 in UTC with microseconds, as Ozon writes dates ("2024-10-21T10:29:41.146628Z")."""
    day, second = divmod(ts - _EPOCH_START, 86_400)
    hour, rest = divmod(second, 3600)
    return f"{_day(day)}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}.{micros:06d}Z"


@lru_cache(maxsize=4096)
def _day(day: int) -> str:
    # strftime is the slowest step of a product; there are only ~1,400 distinct days.
    return datetime.fromtimestamp(_EPOCH_START + day * 86_400, UTC).strftime("%Y-%m-%d")


def _ean13(seed: int, i: int) -> str:
    """A valid EAN-13 in the Russian 460 range, unique-looking per index."""
    body = 460_000_000_000 + _mix(seed, i, 2) % 1_000_000_000
    total, rest, weight = 0, body, 3  # the rightmost of 12 digits weighs 3
    while rest:
        rest, digit = divmod(rest, 10)
        total += digit * weight
        weight = 4 - weight
    return f"{body}{(10 - total % 10) % 10}"


def _rub(kopecks: int) -> Decimal:
    return Decimal(kopecks).scaleb(-2)


class DemoProduct(NamedTuple):
    """One product as the sandbox holds it (Decimal money, stock split by scheme).

    A NamedTuple rather than a frozen dataclass: just as immutable (cached
    objects are shared between requests), but built 5× faster, which matters
    when a sync builds 100,000 of them.
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index(), which nothing here calls
    product_id: int
    offer_id: str
    sku: int
    name: str
    barcode: str
    description_category_id: int
    type_id: int
    created_at: str
    updated_at: str
    price: Decimal
    old_price: Decimal  # 0 = no crossed-out price
    min_price: Decimal  # 0 = none set
    marketing_seller_price: Decimal  # ≤ price
    net_price: Decimal
    vat: str
    fbo_present: int
    fbo_reserved: int
    fbs_present: int
    fbs_reserved: int
    archived: bool
    is_discounted: bool
    is_kgt: bool
    is_super: bool
    images: tuple[str, ...]
    color_image: str  # "" = none
    volume_weight: float
    sales_percent: float  # Ozon's sales commission, percent
    # Whether Ozon may put the product into its promotions on its own (v5 `price`).
    auto_action_enabled: bool
    auto_add_to_ozon_actions_list_enabled: bool
    currency_code: str = "RUB"

    @property
    def has_fbo_stocks(self) -> bool:
        return self.fbo_present > 0

    @property
    def has_fbs_stocks(self) -> bool:
        return self.fbs_present > 0

    @property
    def has_stock(self) -> bool:
        return self.fbo_present > 0 or self.fbs_present > 0

    @property
    def primary_image(self) -> str:
        return self.images[0] if self.images else ""


def _price_kopecks(draw: Callable[[], float], low: int, high: int) -> int:
    """A shop-like price in [low, high] roubles: mostly ending in 9 or 90, some round, a few with kopecks."""
    raw = math.exp(math.log(low) + draw() * (math.log(high) - math.log(low)))
    style = draw()
    step = 10 if raw < 1000 else 100
    rounded = max(1, round(raw / step)) * step
    if style < 0.45:  # 349, 1299, 4999
        kopecks = (rounded - 1) * 100
    elif style < 0.60 and step == 100:  # 990, 12990
        kopecks = (rounded - 10) * 100
    elif style < 0.85:  # 500, 1200
        kopecks = rounded * 100
    else:  # 1234.56
        kopecks = round(raw * 100)
    return min(max(kopecks, PRICE_FLOOR * 100), PRICE_CEILING * 100)


@lru_cache(maxsize=131_072)
def demo_product(seed: int, i: int) -> DemoProduct:
    """Product `i` of the demo catalogue for `seed`, before any override.

    Only `random()` draws (C-fast) and integer kopecks: a sync of 100,000
    products builds every one of them. Cached because one sync asks for the
    same page on four endpoints in a row, and big enough for a 100,000-SKU
    catalogue: with a smaller cache every later pass (showcase read, imports,
    read-backs) rebuilt each product, which was most of the double's own time
    in `make bench` (~1.4 KB a product; the objects are frozen, so sharing is safe).
    """
    draw = random.Random(_mix(seed, i, 0)).random

    def pick(options: tuple[str, ...]) -> str:
        return options[int(draw() * len(options))]

    def between(low: int, high: int) -> int:
        return low + int(draw() * (high - low + 1))

    kind = KINDS[int(draw() * len(KINDS))]
    offer_id = offer_id_of(i)
    name = f"{pick(kind.phrases)} {pick(kind.brands)} {pick(kind.specs)}"
    if kind.coloured and draw() < 0.6:
        name += f", цвет {pick(COLOURS)}"

    price = _price_kopecks(draw, kind.price_min, kind.price_max)
    old_price = 0
    if draw() >= 0.3:
        # A crossed-out price in whole roubles that clears Ozon's minimum-gap rules with room to spare.
        old_price = max(math.ceil(price * (1.15 + draw() * 0.75) / 100), price // 100 + 25) * 100
    min_price = 0
    if draw() >= 0.25:
        min_price = math.floor(price * (0.7 + draw() * 0.25) / 100) * 100
    seller_price = price
    if draw() < 0.5:  # the seller runs a promotion of their own
        seller_price = math.floor(price * (0.75 + draw() * 0.22) / 100) * 100
    net_price = math.floor(price * (0.35 + draw() * 0.25) / 100) * 100

    archived = archived_by_default(seed, i)
    fbo_present = fbs_present = fbo_reserved = fbs_reserved = 0
    if not archived and draw() >= 0.15:
        if draw() < 0.6:
            fbo_present = between(1, 500)
            if draw() < 0.3:
                fbo_reserved = between(1, min(fbo_present, 12))
        if draw() < 0.5 or fbo_present == 0:
            fbs_present = between(0, 120)
            if fbs_present and draw() < 0.2:
                fbs_reserved = between(1, min(fbs_present, 5))

    image_count = between(1, 4)
    images = tuple(f"{IMAGE_HOST}/img/{offer_id}/{n}.jpg" for n in range(1, image_count + 1))
    color_image = f"{IMAGE_HOST}/img/{offer_id}/color.jpg" if kind.coloured and draw() < 0.3 else ""

    created = _EPOCH_START + int(draw() * _CREATED_SPAN)
    updated = created + int(draw() * _UPDATED_SPAN)
    weight = round(kind.weight_min + draw() * (kind.weight_max - kind.weight_min), 2)
    auto_action = draw() < 0.4
    return DemoProduct(
        index=i,
        product_id=PRODUCT_ID_BASE + i,
        offer_id=offer_id,
        sku=SKU_BASE + i,
        name=name,
        barcode=_ean13(seed, i),
        description_category_id=kind.description_category_id,
        type_id=kind.type_id,
        created_at=_iso(created, int(draw() * 1_000_000)),
        updated_at=_iso(updated, int(draw() * 1_000_000)),
        price=_rub(price),
        old_price=_rub(old_price),
        min_price=_rub(min_price),
        marketing_seller_price=_rub(seller_price),
        net_price=_rub(net_price),
        vat="0.22" if kind.coloured else "0.1",
        fbo_present=fbo_present,
        fbo_reserved=fbo_reserved,
        fbs_present=fbs_present,
        fbs_reserved=fbs_reserved,
        archived=archived,
        is_discounted=draw() < 0.02,
        is_kgt=weight > 20,
        is_super=draw() < 0.05,
        images=images,
        color_image=color_image,
        volume_weight=weight,
        sales_percent=(5.0, 8.0, 10.0, 12.0, 15.0, 18.0, 20.0, 24.0)[int(draw() * 8)],
        auto_action_enabled=auto_action,
        auto_add_to_ozon_actions_list_enabled=auto_action or draw() < 0.3,
    )


def demo_products_warm(seed: int, size: int, first: int = 1) -> None:
    """Build products 1..`size` into `demo_product`'s cache now (as many as it holds).

    A server does this before it listens: real Ozon answers with latency, not
    with a cold build, so the first sync against the double should not pay
    ~3 s (at 100,000 products) of generation on its first walk.
    """
    for i in range(first, first + min(size, demo_product.cache_info().maxsize or size)):
        demo_product(seed, i)

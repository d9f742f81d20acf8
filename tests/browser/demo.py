"""A realistic catalogue for the screenshots: the sandbox's demo products with a seller's MRPC and history."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django_q.models import Schedule, Task

from auditlog.models import ApiLogEntry, Direction
from catalog.models import Sku
from ozonprice.sandbox.products import demo_product
from pricing.models import AdminJob, ChangeStatus, JobKind, JobStatus, PriceChange, PriceHistory, Reason
from pricing.rules import discount_passes, targets_for

D = Decimal


def _round(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(D(1), ROUND_HALF_UP) * step


def demo_catalogue(products: int = 160) -> list[Sku]:
    rng = random.Random(7)
    now = timezone.now()
    skus = []
    for i in range(1, products + 1):
        p = demo_product(1, i)
        stock = p.fbo_present + p.fbs_present
        sku = Sku(
            product_id=p.product_id, offer_id=p.offer_id, sku=p.sku, name=p.name,
            product_url=f"https://www.ozon.ru/product/{p.sku}/", price=p.price, old_price=p.old_price,
            min_price=p.min_price, marketing_price=p.marketing_seller_price, front_price=p.marketing_seller_price,
            front_price_source="ozon_seller_price", front_price_timestamp=now - timedelta(minutes=rng.randint(2, 9)),
            available=stock > 0, stock_present=stock, archived=p.archived, synced_at=now - timedelta(minutes=4),
            images=list(p.images),
        )
        if not p.archived and rng.random() < 0.75:
            sku.mrpc = _round(p.price, 10 if p.price < 3000 else 100)
            sku.discount = D(rng.choice(["0", "10", "15", "20", "25", "30"]))
            if not discount_passes(sku.mrpc, sku.discount):
                sku.discount = D("0")
            sku.active = sku.available and rng.random() < 0.8
            if sku.active:
                targets = targets_for(sku.mrpc, sku.discount)
                sku.price, sku.old_price, sku.min_price = targets.price, targets.old_price, targets.min_price
                sku.update_timestamp = now - timedelta(hours=rng.randint(1, 30))
                # Mostly the showcase matches; now and then Ozon's own discount pulls it under MRPC.
                sku.front_price = sku.mrpc if rng.random() < 0.8 else _round(sku.mrpc * D(rng.uniform(0.86, 0.97)), 10)
        skus.append(sku)
    Sku.objects.bulk_create(skus)
    skus = list(Sku.objects.order_by("id"))
    _history(skus, rng)
    _changes(skus, rng)
    _logs_and_tasks(rng)
    return skus


def _history(skus: list[Sku], rng: random.Random) -> None:
    now = timezone.now()
    rows = []
    for sku in [s for s in skus if s.active]:
        price = _round(sku.mrpc * D(rng.uniform(0.8, 0.95)), 10)
        old = D(0)
        days = sorted(rng.sample(range(2, 30), rng.randint(2, 5)), reverse=True)
        mrpc = _round(sku.mrpc * D("0.92"), 10)
        for n, day in enumerate(days):
            last = n == len(days) - 1
            new_mrpc = sku.mrpc if last else mrpc
            targets = targets_for(new_mrpc, sku.discount)
            rows.append(PriceHistory(
                sku=sku, timestamp=now - timedelta(days=day, hours=rng.randint(0, 12)),
                showcase_price=_round(price * D(rng.uniform(0.93, 1.0)), 10), price_before=price,
                old_price_before=old, new_price=targets.price, new_old_price=targets.old_price,
                new_min_price=targets.min_price, mrpc=new_mrpc,
                reason=Reason.ADMIN if n == 0 else Reason.SCHEDULED, actor="anna" if n == 0 else "",
            ))
            price, old = targets.price, targets.old_price
            mrpc = _round(mrpc * D(rng.uniform(1.0, 1.06)), 10)
    PriceHistory.objects.bulk_create(rows)


def _changes(skus: list[Sku], rng: random.Random) -> None:
    now = timezone.now()
    active = [s for s in skus if s.active]
    changes = []
    for status, count in ((ChangeStatus.HELD, 3), (ChangeStatus.SENT, 5), (ChangeStatus.FAILED, 2),
                          (ChangeStatus.REJECTED, 1), (ChangeStatus.CONFIRMED, 12)):
        for sku in rng.sample(active, count):
            factor = D("1.6") if status == ChangeStatus.HELD else D("1.03")
            price = _round(sku.mrpc * factor, 10)
            error = {
                ChangeStatus.FAILED: "Витрина показывает цену ниже МРЦ после окна проверки",
                ChangeStatus.REJECTED: "Ozon: old_price too close to price (PRICE_DIFFERENCE_TOO_SMALL)",
            }.get(status, "")
            changes.append(PriceChange(
                sku=sku, status=status, expected_price=price, expected_old_price=D(0), expected_min_price=price,
                price_before=sku.price, old_price_before=sku.old_price, error_message=error,
                sent_at=None if status == ChangeStatus.HELD else now - timedelta(minutes=rng.randint(3, 50)),
            ))
    PriceChange.objects.bulk_create(changes)


def _logs_and_tasks(rng: random.Random) -> None:
    now = timezone.now()
    ApiLogEntry.objects.bulk_create([
        ApiLogEntry(timestamp=now - timedelta(hours=rng.randint(1, 20)), direction=Direction.OUTBOUND, service="ozon",
                    endpoint="/v1/product/import/prices", method="POST", status_code=429, success=False,
                    error_message="Too Many Requests")
        for _ in range(2)
    ])
    for name, func, minutes_ago, result in (
        ("monitor_products", "catalog.tasks.monitor_products", 6, "sync ok: 160 products"),
        ("maintain_mrpc_prices", "pricing.tasks.maintain_mrpc_prices", 2, "maintain ok: sent 5"),
        ("verify_price_changes", "pricing.tasks.verify_price_changes", 1, "verify ok: confirmed 12"),
    ):
        stopped = now - timedelta(minutes=minutes_ago)
        Task.objects.create(id=f"{name[:20]:x<32}", name=name, func=func, started=stopped - timedelta(seconds=20),
                            stopped=stopped, success=True, result=result, group=name)
        Schedule.objects.create(name=name, func=func, schedule_type=Schedule.MINUTES, minutes=5,
                                next_run=now + timedelta(minutes=rng.randint(1, 9)))
    AdminJob.objects.create(kind=JobKind.PRICES_UPDATE, status=JobStatus.DONE, total=24, done=24, created_by="anna",
                            result={"sent": 21, "rejected": 0, "failed": 0, "held": 1, "unchanged": 2},
                            finished_at=now - timedelta(minutes=40))
    AdminJob.objects.create(kind=JobKind.SHOWCASE_FETCH, status=JobStatus.RUNNING, total=160, done=96,
                            created_by="olga")

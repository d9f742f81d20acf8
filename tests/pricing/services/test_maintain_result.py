"""A price run's result: what reconciliation adds in, how its line reads, a planned change as a preview row."""

from decimal import Decimal

import pytest

from pricing.rules import targets_for
from pricing.services.maintain_result import MaintainResult, PlannedChange
from pricing.services.reconcile import ReconcileResult
from tests.factories import SkuFactory

D = Decimal


def test_a_reconciled_batch_adds_its_counts_into_the_run():
    result = MaintainResult(sent=3, unknown=1)

    result.reconcile_add(ReconcileResult(reconciled=4, sent=3, unknown=1))

    assert (result.reconciled, result.sent, result.unknown) == (4, 6, 2)


def test_the_line_names_every_count_and_says_dry_run():
    line = MaintainResult(dry_run=True, planned=2, held=1, in_flight=3, over_budget=1).summary()

    assert line.startswith("maintain dry-run ok: planned 2, sent 0")
    assert "held for approval 1" in line and "in flight 3" in line and "over hourly budget 1" in line


def test_item_errors_are_counted_in_the_line_without_failing_the_run():
    result = MaintainResult(errors=[{"product_id": "7", "error": "bad"}])

    assert "item errors 1" in result.summary()
    assert result.ok  # item errors are Ozon's answers per product; the run itself went through


@pytest.mark.django_db
def test_a_planned_change_reads_as_a_preview_row():
    sku = SkuFactory(product_id=42, offer_id="A-1", price=D("900"), old_price=D("0"), front_price=D("880"))
    targets = targets_for(D("1000"), D("10"))

    row = PlannedChange(sku=sku, targets=targets).as_row()

    assert row["product_id"] == "42" and row["offer_id"] == "A-1"
    assert (row["price"], row["target_price"], row["target_old_price"]) == (D("900"), targets.price, targets.old_price)
    assert row["showcase"] == D("880")

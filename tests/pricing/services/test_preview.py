"""Previews: what a manager's change would do, row by row, computed by the real code and saving nothing."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from pricing.services.preview import RowStatus, prices_update_preview, sku_inputs_preview
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_each_input_row_says_where_the_change_goes_and_nothing_is_saved():
    holds = SkuFactory(active=True, price=D("1000.00"), old_price=D("0"), min_price=D("1000.00"))
    sends = SkuFactory(active=True, price=D("900.00"), old_price=D("0"), min_price=D("900.00"))
    off = SkuFactory(active=False, price=D("900.00"), old_price=D("0"), min_price=D("900.00"))
    quarantine = SkuFactory(active=True, price=D("1000.00"), old_price=D("0"), min_price=D("1000.00"))
    bad = SkuFactory()
    untouched = SkuFactory()
    values = {
        holds.pk: {"mrpc": "1000"},
        sends.pk: {"mrpc": "1000"},
        off.pk: {"mrpc": "1000"},
        quarantine.pk: {"mrpc": "2500"},
        bad.pk: {"mrpc": "-1"},
        untouched.pk: {},
    }

    rows = sku_inputs_preview(skus=[holds, sends, off, quarantine, bad, untouched], values=values)

    assert [(r.sku.pk, r.status) for r in rows] == [
        (holds.pk, RowStatus.UNCHANGED),
        (sends.pk, RowStatus.SEND),
        (off.pk, RowStatus.SKIPPED),
        (quarantine.pk, RowStatus.HELD),
        (bad.pk, RowStatus.ERROR),
    ]  # a SKU without inputs is left out
    assert all(r.note for r in rows)
    assert rows[1].targets.price == D("1000.00") and rows[1].mrpc == D("1000")
    assert not Sku.objects.filter(mrpc__isnull=False).exists()


def test_a_discount_without_mrpc_sends_nothing():
    sku = SkuFactory(mrpc=None, active=True)

    (row,) = sku_inputs_preview(skus=[sku], values={sku.pk: {"discount": "20"}})

    assert (row.status, row.targets, row.discount) == (RowStatus.SKIPPED, None, D("20"))
    assert Sku.objects.get(pk=sku.pk).discount == D("0")


def test_the_update_preview_counts_every_selected_sku_and_says_why_maintenance_skips_one():
    off = SkuFactory(active=False, mrpc=D("1000"))
    no_stock = SkuFactory(active=True, available=False, mrpc=D("1000"))
    no_mrpc = SkuFactory(active=True, mrpc=None)

    preview = prices_update_preview(product_ids=[off.product_id, no_stock.product_id, no_mrpc.product_id])

    assert preview.total == 3 and preview.sendable == 0
    assert preview.counts[RowStatus.SKIPPED] == 3
    notes = {row.sku.pk: row.note for row in preview.rows}
    assert len(set(notes.values())) == 3  # three different reasons, one per SKU
    assert all(row.status == RowStatus.SKIPPED for row in preview.rows)


def test_the_update_preview_shows_rows_for_the_first_skus_only_but_counts_all():
    skus = SkuFactory.create_batch(4, active=False)

    preview = prices_update_preview(product_ids=[s.product_id for s in skus], show=2)

    assert preview.total == 4 and len(preview.rows) == 2

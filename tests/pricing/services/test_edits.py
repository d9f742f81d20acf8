"""Price inputs: MRPC and discount set by Ozon SKU or article, checked together, all reported, dry run saves nothing."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from pricing.models import ChangeStatus, PriceChange
from pricing.services.edits import (
    ActivationRefused,
    SkuNotFound,
    price_changes_approve,
    sku_activate,
    sku_deactivate,
    sku_discount_set,
    sku_inputs_set,
    sku_mrpc_set,
    sku_update,
    skus_activate,
)
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_mrpc_is_set_by_ozon_sku_or_by_article_and_the_targets_follow():
    by_sku, by_article = SkuFactory(), SkuFactory()

    result = sku_mrpc_set(items=[{"sku": str(by_sku.sku), "mrpc": "1000"}, {"sku": by_article.offer_id, "mrpc": 1500}])

    assert result.errors == []
    assert [e["mrpc"] for e in result.updated] == [D("1000"), D("1500")]
    assert result.updated[0]["targets"].price == D("1000.00")
    assert Sku.objects.get(pk=by_sku.pk).mrpc == D("1000")
    assert Sku.objects.get(pk=by_article.pk).mrpc == D("1500")


def test_bad_items_are_reported_one_by_one_and_the_good_ones_still_saved():
    good, bad = SkuFactory(), SkuFactory()

    result = sku_mrpc_set(
        items=[
            {"sku": good.offer_id, "mrpc": "990.50"},
            {"sku": bad.offer_id, "mrpc": "-1"},
            {"sku": "NOPE", "mrpc": 1},
        ]
    )

    assert [e["sku"] for e in result.updated] == [good.offer_id]
    assert [e["sku"] for e in result.errors] == [bad.offer_id, "NOPE"]
    assert all(e["error"] for e in result.errors)
    assert Sku.objects.get(pk=good.pk).mrpc == D("990.50")
    assert Sku.objects.get(pk=bad.pk).mrpc is None


def test_a_sku_named_twice_in_one_request_is_reported_and_the_first_item_wins():
    sku = SkuFactory()

    result = sku_mrpc_set(items=[{"sku": str(sku.sku), "mrpc": "1000"}, {"sku": sku.offer_id, "mrpc": "2000"}])

    assert [e["sku"] for e in result.errors] == [sku.offer_id]
    assert Sku.objects.get(pk=sku.pk).mrpc == D("1000")


def test_a_discount_sets_the_old_price_from_the_mrpc_and_one_ozon_would_refuse_is_an_error():
    sku = SkuFactory(mrpc=D("1000"))

    ok = sku_discount_set(items=[{"sku": sku.offer_id, "discount": "20"}])
    refused = sku_discount_set(items=[{"sku": sku.offer_id, "discount": "95"}])

    assert ok.updated[0]["old_price"] == D("1250")
    assert refused.updated == [] and refused.errors[0]["sku"] == sku.offer_id
    assert Sku.objects.get(pk=sku.pk).discount == D("20")


def test_a_key_left_out_keeps_the_skus_value_and_the_pair_is_checked_together():
    sku = SkuFactory(mrpc=D("1000"), discount=D("10"))

    result = sku_inputs_set(items=[{"sku": sku.offer_id, "mrpc": "1200"}])

    assert result.updated[0]["pair"] == (D("1200"), D("10"))
    assert "discount" not in result.updated[0]
    assert Sku.objects.values_list("mrpc", "discount").get(pk=sku.pk) == (D("1200"), D("10"))


def test_a_dry_run_reports_exactly_the_same_and_saves_nothing():
    sku = SkuFactory()

    dry = sku_inputs_set(items=[{"sku": sku.offer_id, "mrpc": "1000", "discount": "20"}], dry_run=True)

    assert dry.errors == [] and dry.updated[0]["targets"].old_price == D("1250")
    assert Sku.objects.values_list("mrpc", "discount").get(pk=sku.pk) == (None, D("0"))


def test_activation_is_refused_with_a_reason_without_mrpc_and_allowed_with_it():
    sku = SkuFactory(mrpc=None, available=True)

    with pytest.raises(ActivationRefused):
        sku_activate(product_id=sku.product_id)
    assert not Sku.objects.get(pk=sku.pk).active

    Sku.objects.filter(pk=sku.pk).update(mrpc=D("900"))
    assert sku_activate(product_id=sku.product_id).active
    assert not sku_deactivate(product_id=sku.product_id).active


def test_an_unknown_product_is_not_found(account):
    with pytest.raises(SkuNotFound):
        sku_activate(product_id=999)
    with pytest.raises(SkuNotFound):
        sku_activate(product_id="not-a-number")


def test_the_bulk_activation_switches_on_the_eligible_and_counts_the_rest():
    ready, no_mrpc = SkuFactory(mrpc=D("900"), available=True), SkuFactory(mrpc=None)

    result = skus_activate(product_ids=[ready.product_id, no_mrpc.product_id])

    assert Sku.objects.get(pk=ready.pk).active and not Sku.objects.get(pk=no_mrpc.pk).active
    assert [s.pk for s in result.activated] == [ready.pk]
    assert [(s.pk, bool(reason)) for s, reason in result.refused] == [(no_mrpc.pk, True)]
    assert skus_activate(product_ids=[ready.product_id]).already == 1


def test_update_is_all_or_nothing_a_bad_mrpc_leaves_the_switch_alone():
    sku = SkuFactory(mrpc=D("900"), available=True)

    with pytest.raises(ValueError):  # noqa: PT011 - the message is the user's
        sku_update(product_id=sku.product_id, mrpc="-5", active=True)

    fresh = Sku.objects.get(pk=sku.pk)
    assert (fresh.mrpc, fresh.active) == (D("900"), False)
    assert sku_update(product_id=sku.product_id, mrpc="1000", active=True).active


def test_approval_releases_only_held_changes_for_the_next_run():
    sku = SkuFactory()
    prices = {"expected_price": D("2000"), "expected_old_price": D("0"), "expected_min_price": D("2000")}
    held = PriceChange.objects.create(sku=sku, status=ChangeStatus.HELD, **prices)
    sent = PriceChange.objects.create(sku=sku, status=ChangeStatus.SENT, **prices)

    assert price_changes_approve(change_ids=[held.pk, sent.pk], actor="manager") == 1

    held.refresh_from_db()
    sent.refresh_from_db()
    assert (held.status, held.approved_by) == (ChangeStatus.PLANNED, "manager")
    assert sent.status == ChangeStatus.SENT

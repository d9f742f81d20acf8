"""The pricing engine end to end: the API in, the sandbox (real HTTP on 127.0.0.1) out."""

import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.models import RuntimeSettings, ShowcaseSource, TaskLease
from ozonprice.services import api_secret_generate
from pricing.models import ChangeStatus, PriceChange, Reason
from pricing.rules import targets_for
from pricing.services.edits import price_changes_approve
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.factories import account_default

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
DISCOUNT = Decimal("25")


@pytest.fixture
def api(db) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=api_secret_generate())
    return client


@pytest.mark.parametrize("ozon_sandbox", [{"products": 2500, "storefront_delay_s": 0.3}], indirect=True)
def test_mrpc_for_1500_skus_goes_out_in_two_calls_and_is_confirmed_on_the_showcase(sandbox_account, api, settings):
    settings.API_THROTTLE_RATE = "10000/min"  # 1500 activations, one request each
    rs = RuntimeSettings.load()
    rs.showcase_source = ShowcaseSource.OZON_DETAILS
    rs.save()
    account = account_default()
    account.showcase_source = ShowcaseSource.OZON_DETAILS
    account.save()
    assert sku_sync_all().ok and showcase_prices_fetch().ok
    chosen = list(Sku.objects.filter(available=True, front_price__gt=0, archived=False).order_by("id")[:1501])
    assert len(chosen) == 1501
    quarantined, skus = chosen[0], chosen[1:]
    rejected = skus[0]
    mrpc = {s.product_id: (s.price * Decimal("1.1")).quantize(Decimal("1"), ROUND_HALF_UP) for s in skus}
    mrpc[quarantined.product_id] = quarantined.price * 2
    sandbox_account.reject_prices(rejected.product_id, "invalid_cat egory_price", "price is out of the category range")

    answer = api.post(
        "/api/products/set-mrpc",
        {"items": [{"sku": str(s.sku), "mrpc": str(mrpc[s.product_id])} for s in chosen]},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["errors"] == []
    answer = api.post(
        "/api/products/set-discount",
        {"items": [{"sku": s.offer_id, "discount": str(DISCOUNT)} for s in chosen]},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["errors"] == []
    for s in chosen:
        assert api.post(f"/api/products/{s.product_id}/activate").status_code == 200

    result = prices_maintain()

    assert result.ok, result.error
    assert result.import_calls == 2 and len(sandbox_account.price_imports) == 2
    assert (result.sent, result.rejected, result.held) == (1499, 1, 1)
    for s in skus[1:]:
        target = targets_for(mrpc[s.product_id], DISCOUNT)
        held = sandbox_account.product(s.product_id)
        assert (held.price, held.old_price, held.min_price) == (target.price, target.old_price, target.min_price)
    change = PriceChange.objects.get(sku__product_id=rejected.product_id)
    assert (change.status, change.error_code, change.error_message) == (
        ChangeStatus.REJECTED,
        "invalid_cat egory_price",
        "price is out of the category range",
    )
    waiting = PriceChange.objects.get(sku__product_id=quarantined.product_id)
    assert waiting.status == ChangeStatus.HELD

    time.sleep(0.5)  # the sandbox's storefront follows a new price after 0.3 s
    verified = price_changes_verify()
    assert verified.confirmed == 1499, verified.summary()

    assert sku_sync_all().ok
    again = prices_maintain()
    assert (again.planned, again.import_calls, again.refused_before) == (0, 0, 1)
    assert len(sandbox_account.price_imports) == 2

    price_changes_approve(change_ids=[waiting.pk], actor="manager")
    sandbox_account.reject_prices(rejected.product_id, None)
    approved = prices_maintain()
    assert (approved.sent, approved.refused_before) == (1, 1)
    assert sandbox_account.product(quarantined.product_id).price == quarantined.price * 2
    retried = prices_maintain(reason=Reason.MANUAL)  # a manager's run tries the refused target again
    assert retried.sent == 1


@pytest.mark.parametrize("ozon_sandbox", [300], indirect=True)
def test_a_run_while_the_lease_is_held_does_nothing(sandbox_account):
    assert sku_sync_all().ok
    Sku.objects.filter(available=True).update(mrpc=Decimal("1000"), front_price=Decimal("990"), active=True)
    TaskLease.acquire(f"maintain_mrpc_prices:{account_default().pk}", ttl=timedelta(minutes=5))

    result = prices_maintain()

    assert result.skipped
    assert sandbox_account.price_imports == []

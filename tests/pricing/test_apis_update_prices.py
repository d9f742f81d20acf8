"""POST /api/products/update-prices answers every counter of the run, and a held change keeps its run's reason."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.services import api_secret_generate
from pricing.models import ChangeStatus, PriceChange, Reason
from pricing.services.maintain import prices_maintain
from tests.factories import account_default
from tests.fakes.ozon import FakeOzon, product
from tests.pricing.services.test_maintain import client

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/products/update-prices"
COUNTERS = {
    "planned",
    "sent",
    "rejected",
    "failed",
    "held",
    "unchanged",
    "in_flight",
    "awaiting_ozon",
    "over_budget",
    "refused_before",
    "reconciled",
}


@pytest.fixture
def ozon(no_network, ozon_credentials) -> FakeOzon:
    fake = FakeOzon(products=[product(i, price="1000.00", old_price="0", min_price="900.00") for i in range(1, 4)])
    fake.install(no_network)
    sku_sync_all(client=client())
    # The account the API resolves (the only one): sync stamps it on new rows once it is per account (part F1).
    Sku.objects.update(account=account_default(), mrpc=D("1100"), discount=D("20"), active=True, front_price=D("1000"))
    # 1001 would go from 1000 to 1600: Ozon's quarantine, held for approval.
    Sku.objects.filter(product_id=1001).update(mrpc=D("1600"))
    return fake


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def test_the_answer_names_the_held_change_and_every_counter(api, ozon):
    body = api.post(URL, {}, format="json").json()

    assert COUNTERS <= set(body)
    assert (body["status"], body["updated"], body["sent"], body["held"], body["planned"]) == ("success", 2, 2, 1, 2)
    assert body["unchanged"] == body["over_budget"] == body["refused_before"] == 0


def test_a_dry_run_lists_the_held_change_marked_as_held(api, ozon):
    body = api.post(URL, {"dry_run": True}, format="json").json()

    assert body["held"] == 1 and body["updated"] == 2
    rows = {row["product_id"]: row for row in body["plan"]}
    assert rows["1001"]["held"] is True and D(str(rows["1001"]["target_price"])) == D("1600")
    assert rows["1002"]["held"] is False
    assert not PriceChange.objects.exists()  # a dry run records nothing, held or not


def test_a_second_run_counts_what_ozon_already_holds(api, ozon):
    api.post(URL, {}, format="json")
    sku_sync_all(client=client())

    body = api.post(URL, {}, format="json").json()

    assert (body["sent"], body["unchanged"], body["held"]) == (0, 2, 1)


def test_the_schema_documents_the_counters(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    props = schema["components"]["schemas"]["UpdatePricesResponse"]["properties"]
    assert COUNTERS <= set(props)
    assert "held" in schema["components"]["schemas"]["PlanRow"]["properties"]


@pytest.mark.parametrize(("reason", "actor"), [(Reason.API, "anna"), (Reason.ADMIN, "boris"), (Reason.MANUAL, "cli")])
def test_a_held_change_keeps_the_reason_and_actor_of_the_run_that_found_it(ozon, reason, actor):
    prices_maintain(client=client(), reason=reason, actor=actor)

    held = PriceChange.objects.get(status=ChangeStatus.HELD)
    assert (held.sku.product_id, held.reason, held.actor) == (1001, reason, actor)


def test_a_scheduled_run_still_holds_as_scheduled(ozon):
    prices_maintain(client=client())

    held = PriceChange.objects.get(status=ChangeStatus.HELD)
    assert (held.reason, held.actor) == (Reason.SCHEDULED, "")

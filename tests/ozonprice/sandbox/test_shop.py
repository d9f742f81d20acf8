"""One sandbox account (`Shop`) on its own: its numbering, outage, call counts, stats and price imports.

No server here: the shops are built and their handlers called directly, so what
is checked is that each shop keeps its own state (tests/ozonprice/sandbox/
test_accounts.py checks the same over HTTP, with the server routing by Client-Id).
"""

from decimal import Decimal

import pytest

from ozonprice.sandbox.discounts import FIRST_TASK_ID as FIRST_DISCOUNT_TASK_ID
from ozonprice.sandbox.pictures_api import FIRST_TASK_ID as FIRST_PICTURE_TASK_ID
from ozonprice.sandbox.prices_api import import_prices
from ozonprice.sandbox.routing import Request
from ozonprice.sandbox.shop import ACCOUNT_INDEX_SPAN, ACCOUNT_TASK_SPAN, Shop, numbered_accounts, outage_error


def shop(number: int = 0, **options) -> Shop:
    client_id = options.pop("client_id", f"shop-{number}")
    options.setdefault("products", 5)
    return Shop(sandbox=None, client_id=client_id, api_key=f"{client_id}-key", number=number, **options)


def send_price(target: Shop, price: str) -> dict:
    product_id = target.catalog.product_id_of(target.catalog.active_indices()[0])
    item = {"product_id": product_id, "price": price, "old_price": "0", "min_price": "0"}
    return import_prices(target, Request(method="POST", path="/v1/product/import/prices", body={"prices": [item]}))


@pytest.mark.parametrize("missing", ["client_id", "api_key"])
def test_a_shop_needs_its_client_id_and_api_key(missing):
    credentials = {"client_id": "ip", "api_key": "ip-key", missing: ""}

    with pytest.raises(ValueError, match="Client-Id and an Api-Key"):
        Shop(sandbox=None, products=1, **credentials)


def test_each_further_account_numbers_its_catalogue_and_task_ids_apart():
    first, second = shop(0), shop(1)

    assert (first.catalog.first, second.catalog.first) == (1, 1 + ACCOUNT_INDEX_SPAN)
    assert not set(first.catalog.active_indices()) & set(second.catalog.active_indices())
    assert second.discounts.first_id - first.discounts.first_id == ACCOUNT_TASK_SPAN
    assert first.discounts.first_id == FIRST_DISCOUNT_TASK_ID
    assert second.pictures.first_id == FIRST_PICTURE_TASK_ID + ACCOUNT_TASK_SPAN


def test_shared_product_ids_start_every_catalogue_at_the_first_index():
    assert shop(3, shared_product_ids=True).catalog.first == 1


def test_an_outage_is_one_shops_and_only_a_5xx():
    down, up = shop(0), shop(1)

    down.outage(502)

    assert (down.outage_status, up.outage_status) == (502, None)
    down.outage()  # 503 by default
    assert down.outage_status == 503
    down.outage(None)
    assert down.outage_status is None
    with pytest.raises(ValueError, match="5xx"):
        down.outage(429)
    assert down.outage_status is None


def test_an_outage_answers_in_ozons_error_shape():
    unavailable, internal = outage_error(503), outage_error(500)

    assert (unavailable.status, unavailable.code) == (503, 14)
    assert (internal.status, internal.code, internal.message) == (500, 13, "Internal error")


def test_calls_and_stats_are_the_shops_own_and_reset_calls_clears_only_them():
    busy, quiet = shop(0), shop(1)
    busy.calls.update({"/v3/product/list": 2, "/v1/product/import/prices": 1})
    busy.processing_s = 0.25
    quiet.calls["/v3/product/list"] = 4

    assert busy.stats() == {"requests": 3, "processing_s": 0.25}
    busy.reset_calls()

    assert busy.calls == {} and busy.stats()["requests"] == 0
    assert quiet.stats()["requests"] == 4


def test_price_imports_are_the_shops_accepted_batches_only():
    one, other = shop(0), shop(1)

    answer = send_price(one, "777")

    assert answer["result"][0]["updated"] is True
    assert [[item["price"] for item in batch] for batch in one.price_imports] == [["777"]]
    assert other.price_imports == []
    one.settle()
    product_id = one.catalog.product_id_of(one.catalog.active_indices()[0])
    assert one.product(product_id).price == Decimal("777")


def test_numbered_accounts_give_each_its_own_credentials_and_seed():
    assert numbered_accounts(3, client_id="ip", api_key="ip-key", seed=7) == [
        {"client_id": "ip", "api_key": "ip-key", "seed": 7},
        {"client_id": "ip-2", "api_key": "ip-2-key", "seed": 8},
        {"client_id": "ip-3", "api_key": "ip-3-key", "seed": 9},
    ]
    with pytest.raises(ValueError):
        numbered_accounts(0)

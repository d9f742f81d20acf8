"""The showcase price: `/v1/product/prices/details`, marketplace discounts and the Front Price API."""

import time
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from tests.ozonprice.sandbox.helpers import DETAILS, IMPORT, active_ids, card_price, customer_price, post, v5

pytestmark = pytest.mark.e2e

PREMIUM = {"code": 7, "message": "Premium Pro subscription is required", "details": []}


def front(sandbox, seller="demo-seller", **params):
    return requests.get(f"{sandbox.url}/api/v1/seller/{seller}", params=params, timeout=10)


# --- /v1/product/prices/details ----------------------------------------------------
def test_prices_details_has_ozons_shape(ozon_sandbox):
    product_ids = active_ids(ozon_sandbox, 2)
    products = [ozon_sandbox.product(pid) for pid in product_ids]
    skus = [str(p.sku) for p in products] + ["200999999", str(products[0].sku)]
    answer = post(ozon_sandbox, DETAILS, {"skus": skus})
    assert answer.status_code == 200
    prices = answer.json()["prices"]
    assert [row["sku"] for row in prices] == [p.sku for p in products]  # unknown and repeated ones dropped
    for row, product in zip(prices, products, strict=True):
        assert set(row) == {"sku", "offer_id", "customer_price", "price", "discount_percent"}
        assert row["offer_id"] == product.offer_id
        assert row["customer_price"] == {"amount": str(product.marketing_seller_price), "currency": "RUB"}
        assert row["price"] == {"amount": str(product.marketing_seller_price), "currency": "RUB"}
        assert row["discount_percent"] == 0


def test_prices_details_needs_premium_pro(make_sandbox):
    sandbox = make_sandbox(products=5, premium_pro=False)
    answer = post(sandbox, DETAILS, {"skus": ["200000001"]})
    assert answer.status_code == 403 and answer.json() == PREMIUM
    sandbox.premium_pro = True
    assert post(sandbox, DETAILS, {"skus": ["200000001"]}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"skus": []}, {"skus": "200000001"}, {"skus": ["abc"]}, {"skus": [str(200000000 + i) for i in range(1001)]}],
)
def test_prices_details_refuses_bad_sku_lists(ozon_sandbox, body):
    answer = post(ozon_sandbox, DETAILS, body)
    assert answer.status_code == 400 and answer.json()["code"] == 3


# --- marketplace discount -----------------------------------------------------------
def test_a_marketplace_discount_puts_the_showcase_below_the_price(make_sandbox):
    options = {"products": 1000, "marketplace_discount_share": 0.3, "marketplace_discount_percent": 10, "seed": 3}
    sandbox = make_sandbox(**options)
    discounted = [i for i in range(1, 1001) if sandbox.storefront.discount_percent(i)]
    assert 250 < len(discounted) < 350
    again = make_sandbox(**options)  # a pure function of seed and index
    assert [i for i in range(1, 1001) if again.storefront.discount_percent(i)] == discounted

    (product_id,) = [sandbox.catalog.product_id_of(i) for i in discounted if not sandbox.catalog.product(i).archived][
        :1
    ]
    product = sandbox.product(product_id)
    body = {"prices": [{"product_id": product_id, "price": "2000", "old_price": "2500", "min_price": "2000"}]}
    assert post(sandbox, IMPORT, body).json()["result"][0]["updated"]
    # Ozon holds the seller's price; the buyer sees 10 % less.
    assert v5(sandbox, product_id)["price"] == 2000 and v5(sandbox, product_id)["marketing_seller_price"] == 2000
    assert customer_price(sandbox, product.sku) == "1800.00"
    assert card_price(sandbox, product.sku) == 1800
    row = post(sandbox, DETAILS, {"skus": [str(product.sku)]}).json()["prices"][0]
    assert row["discount_percent"] == 10 and row["price"]["amount"] == "2000.00"


def test_set_marketplace_discount_per_product(ozon_sandbox):
    (product_id,) = active_ids(ozon_sandbox, 1)
    sku = ozon_sandbox.product(product_id).sku
    post(
        ozon_sandbox,
        IMPORT,
        {"prices": [{"product_id": product_id, "price": "1000", "old_price": "0", "min_price": "0"}]},
    )
    ozon_sandbox.set_marketplace_discount(product_id, 7)
    assert customer_price(ozon_sandbox, sku) == "930.00" and ozon_sandbox.showcase_price(product_id) == Decimal(930)
    assert ozon_sandbox.marketplace_discount(product_id) == 7
    ozon_sandbox.set_marketplace_discount(product_id, None)
    assert customer_price(ozon_sandbox, sku) == "1000.00"
    with pytest.raises(ValueError, match="percent"):
        ozon_sandbox.set_marketplace_discount(product_id, 100)


def test_bad_storefront_options_are_refused(make_sandbox):
    for options in (
        {"marketplace_discount_share": 1.5},
        {"marketplace_discount_percent": 100},
        {"storefront_delay_s": -1},
    ):
        with pytest.raises(ValueError, match=next(iter(options))):
            make_sandbox(products=1, **options)


# --- the Front Price API ----------------------------------------------------------
def test_front_pages_cover_every_storefront_product_exactly_once(make_sandbox):
    sandbox = make_sandbox(products=2500)
    catalog = sandbox.catalog
    removed = active_ids(sandbox, 3)
    sandbox.remove(removed)
    expected = [str(catalog.product(i).sku) for i in catalog.active_indices()]
    seen, page, pages = [], 1, []
    while True:
        answer = front(sandbox, page=page)
        assert answer.status_code == 200
        data = answer.json()
        pages.append(data["pagination"])
        seen += [row["sku_id"] for row in data["products"]]
        if page >= data["pagination"]["total_pages"]:
            break
        page += 1
    assert seen == expected and len(set(seen)) == len(seen)
    assert not {
        str(catalog.product(i).sku) for i in range(1, 2501) if catalog.product(i) and catalog.product(i).archived
    } & set(seen)
    total = len(expected)
    assert pages[0] == {"current_page": 1, "total_pages": -(-total // 100), "items_per_page": 100, "total_items": total}
    assert all(p["total_items"] == total for p in pages)
    assert front(sandbox, page=page + 1).json()["products"] == []


def test_front_rows_have_the_shape_the_app_reads(ozon_sandbox):
    data = front(ozon_sandbox).json()  # page 1 by default
    assert set(data) == {"pagination", "products", "metadata"}
    row = data["products"][0]
    product = ozon_sandbox.product(ozon_sandbox.catalog.product_id_of(int(row["sku_id"]) - 200000000))
    assert {"sku_id", "name", "price", "seller_id", "quantity"} <= set(row)
    assert set(row["price"]) == {"original", "discount", "discount_percent", "final", "card_price"}
    assert row["name"] == product.name and row["seller_id"] == "demo-seller"
    assert Decimal(str(row["price"]["card_price"])) == product.marketing_seller_price
    assert row["price"]["card_price"] < row["price"]["final"] <= row["price"]["original"]
    expected_quantity = product.fbo_present - product.fbo_reserved + product.fbs_present - product.fbs_reserved
    assert row["quantity"] == expected_quantity
    assert all(isinstance(v, int | float) for v in row["price"].values())


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", ""])
def test_front_refuses_bad_pages_with_json(ozon_sandbox, page):
    answer = requests.get(f"{ozon_sandbox.url}/api/v1/seller/demo-seller?page={page}", timeout=10)
    assert answer.status_code == 400 and "page" in answer.json()["detail"]


def test_front_serves_any_seller_or_only_the_configured_one(make_sandbox):
    anyone = make_sandbox(products=5)
    assert front(anyone, seller="42").json()["products"][0]["seller_id"] == "42"
    only = make_sandbox(products=5, front_seller_id="demo-seller", front_page_size=2)
    assert front(only, seller="42").status_code == 404
    data = front(only).json()
    assert len(data["products"]) == 2 and data["pagination"]["items_per_page"] == 2


def test_a_100k_catalogue_pages_fast_on_the_front_api(make_sandbox):
    sandbox = make_sandbox(products=100_000)
    started = time.monotonic()
    last = front(sandbox, page=1).json()["pagination"]["total_pages"]
    for page in (last // 2, last - 1, last):
        assert front(sandbox, page=page).json()["products"]
    assert time.monotonic() - started < 3

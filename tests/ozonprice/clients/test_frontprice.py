"""The Front Price API client: every page of the seller's storefront, `card_price` by `sku_id`, malformed pages refused."""

from decimal import Decimal

import pytest
import responses

from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.clients.ozon import OzonResponseError

pytestmark = pytest.mark.django_db
BASE = "https://front.example"


def client(seller_id: str = "seller 1") -> FrontPriceClient:
    return FrontPriceClient(base_url=BASE, seller_id=seller_id, rate_limit=0, retry=RetryPolicy(max_retries=0))


def page(n: int, total: int, products: list[dict]) -> dict:
    return {
        "pagination": {"current_page": n, "total_pages": total, "items_per_page": 2, "total_items": 3},
        "products": products,
    }


def item(sku: int, card: str | None, final: str = "1000.00") -> dict:
    return {
        "sku_id": sku,
        "name": f"Товар {sku}",
        "price": {
            "original": "1500.00",
            "discount": "500.00",
            "discount_percent": 33,
            "final": final,
            "card_price": card,
        },
    }


def test_every_page_is_read_and_each_product_gives_its_card_price(no_network):
    url = f"{BASE}/api/v1/seller/seller%201"
    no_network.add(
        responses.GET,
        url,
        match=[responses.matchers.query_param_matcher({"page": "1"})],
        json=page(1, 2, [item(11, "949.90"), item(12, None)]),
    )
    no_network.add(
        responses.GET,
        url,
        match=[responses.matchers.query_param_matcher({"page": "2"})],
        json=page(2, 2, [item(13, "1999")]),
    )

    pages = list(client().seller_prices())

    assert [[(p.sku, p.card_price) for p in rows] for rows in pages] == [
        [(11, Decimal("949.90")), (12, None)],
        [(13, Decimal("1999"))],
    ]
    assert len(no_network.calls) == 2


def test_an_empty_page_ends_the_reading_even_if_more_pages_are_announced(no_network):
    no_network.add(responses.GET, f"{BASE}/api/v1/seller/s", json=page(1, 50, []))

    assert list(client("s").seller_prices()) == []
    assert len(no_network.calls) == 1


def test_a_malformed_page_is_a_permanent_error_naming_the_page(no_network):
    no_network.add(responses.GET, f"{BASE}/api/v1/seller/s", json={"products": [item(1, "10")]})

    with pytest.raises(OzonResponseError, match="malformed page 1") as caught:
        list(client("s").seller_prices())
    assert caught.value.permanent


def test_without_a_url_or_seller_id_the_client_refuses_to_start():
    with pytest.raises(ApiError, match="not configured"):
        FrontPriceClient(base_url="", seller_id="s")
    with pytest.raises(ApiError, match="not configured"):
        FrontPriceClient(base_url=BASE, seller_id="")


def test_pages_after_the_first_are_read_several_at_once_and_come_back_in_order(no_network):
    url = f"{BASE}/api/v1/seller/seller%201"
    for n in range(1, 7):
        no_network.add(
            responses.GET,
            url,
            match=[responses.matchers.query_param_matcher({"page": str(n)})],
            json=page(n, 6, [item(100 + n, f"{n}00")]),
        )
    front = FrontPriceClient(
        base_url=BASE, seller_id="seller 1", rate_limit=0, retry=RetryPolicy(max_retries=0), concurrency=3
    )

    pages = list(front.seller_prices())

    assert [[p.sku for p in rows] for rows in pages] == [[101], [102], [103], [104], [105], [106]]
    assert len(no_network.calls) == 6  # each page once


def test_a_malformed_page_read_concurrently_is_refused(no_network):
    url = f"{BASE}/api/v1/seller/seller%201"
    no_network.add(
        responses.GET,
        url,
        match=[responses.matchers.query_param_matcher({"page": "1"})],
        json=page(1, 3, [item(1, "1")]),
    )
    no_network.add(
        responses.GET, url, match=[responses.matchers.query_param_matcher({"page": "2"})], json={"products": "x"}
    )
    no_network.add(
        responses.GET, url, match=[responses.matchers.query_param_matcher({"page": "3"})], json=page(3, 3, [])
    )
    front = FrontPriceClient(
        base_url=BASE, seller_id="seller 1", rate_limit=0, retry=RetryPolicy(max_retries=0), concurrency=4
    )

    with pytest.raises(OzonResponseError, match="malformed page 2"):
        list(front.seller_prices())

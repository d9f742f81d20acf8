"""The sandbox's Front Price API: every storefront product a page at a time, card price under final, its own errors."""

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.http import RetryPolicy

pytestmark = pytest.mark.e2e


def get(sandbox, seller="demo-seller", **params):
    return requests.get(f"{sandbox.url}/api/v1/seller/{seller}", params=params, timeout=10)


@pytest.mark.parametrize("ozon_sandbox", [{"products": 30, "front_page_size": 10}], indirect=True)
def test_pages_cover_the_storefront_once_and_the_projects_client_reads_them(ozon_sandbox, db):
    first = get(ozon_sandbox, page=1).json()
    total = first["pagination"]["total_items"]

    client = FrontPriceClient(
        base_url=ozon_sandbox.url, seller_id="demo-seller", rate_limit=0, retry=RetryPolicy(max_retries=0)
    )
    skus = [p.sku for page in client.seller_prices() for p in page]
    client.close()

    assert first["pagination"]["items_per_page"] == 10 and first["pagination"]["total_pages"] == -(-total // 10)
    assert len(skus) == len(set(skus)) == total
    row = first["products"][0]["price"]
    assert row["card_price"] < row["final"] <= row["original"]


def test_a_page_past_the_end_is_empty(ozon_sandbox):
    assert get(ozon_sandbox, page=10_000).json()["products"] == []


@pytest.mark.parametrize("page", ["0", "-1", "x", "²"])
def test_a_bad_page_is_a_400_in_the_apis_own_shape(ozon_sandbox, page):
    answer = get(ozon_sandbox, page=page)

    assert answer.status_code == 400 and "page" in answer.json()["detail"]


@pytest.mark.parametrize("ozon_sandbox", [{"products": 5, "front_seller_id": "s-1"}], indirect=True)
def test_with_a_configured_seller_another_id_is_not_found(ozon_sandbox):
    assert get(ozon_sandbox, seller="s-1").status_code == 200
    other = get(ozon_sandbox, seller="s-2")
    assert other.status_code == 404 and "detail" in other.json()

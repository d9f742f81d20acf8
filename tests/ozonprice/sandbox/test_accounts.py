"""Several accounts in one sandbox: each Client-Id has its own Api-Key, catalogue, faults and counts."""

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.shop import ACCOUNT_INDEX_SPAN
from tests.ozonprice.sandbox.helpers import IMPORT, INFO, V5, post

pytestmark = pytest.mark.e2e

A = {"Client-Id": "ip", "Api-Key": "ip-key"}
B = {"Client-Id": "brand", "Api-Key": "brand-key"}
LIST = "/v3/product/list"


def two(make_sandbox, **options):
    accounts = [
        {"client_id": "ip", "api_key": "ip-key", "products": 5, "seed": 1},
        {"client_id": "brand", "api_key": "brand-key", "products": 7, "seed": 2},
    ]
    return make_sandbox(accounts=accounts, **options)


def listed(sandbox, headers):
    answer = post(sandbox, LIST, {"filter": {"visibility": "ALL"}, "limit": 100}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["product_id"] for item in answer.json()["result"]["items"]]


def test_each_client_id_sees_its_own_catalogue_only(make_sandbox):
    sandbox = two(make_sandbox)
    ip, brand = listed(sandbox, A), listed(sandbox, B)
    assert len(ip) == 5 and len(brand) == 7
    assert not set(ip) & set(brand)  # Ozon's product_ids are unique across sellers
    assert min(brand) == 100_000_001 + ACCOUNT_INDEX_SPAN
    # One account's product is not found through the other's credentials.
    answer = post(sandbox, INFO, {"product_id": [brand[0]]}, headers=A)
    assert answer.status_code == 200 and answer.json() == {"items": []}
    answer = post(sandbox, INFO, {"product_id": [brand[0]]}, headers=B)
    assert [item["id"] for item in answer.json()["items"]] == [brand[0]]


def test_a_price_sent_for_one_account_changes_only_its_catalogue(make_sandbox):
    sandbox = two(make_sandbox, shared_product_ids=True)
    ip, brand = listed(sandbox, A), listed(sandbox, B)
    assert ip == brand[:5]  # the same product_ids in both accounts: each its own product
    catalog = sandbox.account("ip").catalog
    product_id = catalog.product_id_of(catalog.active_indices()[0])
    before = sandbox.account("brand").product(product_id).price
    answer = post(
        sandbox, IMPORT, {"prices": [{"product_id": product_id, "price": "777", "old_price": "0", "min_price": "0"}]}, A
    )
    assert answer.status_code == 200 and answer.json()["result"][0]["updated"] is True
    assert sandbox.account("ip").product(product_id).price == 777
    assert sandbox.account("brand").product(product_id).price == before
    assert len(sandbox.account("ip").price_imports) == 1 and sandbox.account("brand").price_imports == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Client-Id": "ip", "Api-Key": "brand-key"},  # another account's key
        {"Client-Id": "nobody", "Api-Key": "ip-key"},  # an unknown Client-Id
        {"Api-Key": "ip-key"},  # no Client-Id
    ],
    ids=["other-key", "unknown-client", "no-client"],
)
def test_the_client_id_and_api_key_must_be_one_accounts_pair(make_sandbox, headers):
    sandbox = two(make_sandbox)
    answer = post(sandbox, LIST, {"limit": 1}, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"code": 16, "message": "Invalid Api-Key, please contact support", "details": []}


def test_an_outage_of_one_account_leaves_the_other_working(make_sandbox):
    sandbox = two(make_sandbox)
    sandbox.account("brand").outage(503)
    down = post(sandbox, LIST, {"limit": 1}, headers=B)
    assert down.status_code == 503 and down.json()["code"] == 14
    assert post(sandbox, LIST, {"limit": 1}, headers=A).status_code == 200
    sandbox.account("brand").outage(None)
    assert post(sandbox, LIST, {"limit": 1}, headers=B).status_code == 200
    with pytest.raises(ValueError, match="5xx"):
        sandbox.account("brand").outage(429)


def test_injected_failures_belong_to_one_account(make_sandbox):
    sandbox = two(make_sandbox)
    sandbox.account("ip").fail_next(V5, count=2, status=500)
    body = {"filter": {"visibility": "ALL"}, "limit": 1}
    assert post(sandbox, V5, body, headers=B).status_code == 200
    assert [post(sandbox, V5, body, headers=A).status_code for _ in range(3)] == [500, 500, 200]
    # The sandbox's own controls are the first account's, as with one account.
    sandbox.fail_next(V5, status=500)
    assert post(sandbox, V5, body, headers=B).status_code == 200
    assert post(sandbox, V5, body, headers=A).status_code == 500


def test_calls_and_stats_are_counted_per_client_id(make_sandbox):
    sandbox = two(make_sandbox)
    listed(sandbox, A)
    listed(sandbox, B)
    listed(sandbox, B)
    post(sandbox, LIST, {"limit": 1}, headers={"Client-Id": "ip", "Api-Key": "wrong"})
    assert sandbox.account("ip").calls == {LIST: 2} and sandbox.account("brand").calls == {LIST: 2}
    assert sandbox.calls == {LIST: 4}
    assert sandbox.credentials_seen == {("ip", "ip-key"): 1, ("brand", "brand-key"): 2, ("ip", "wrong"): 1}
    stats = requests.get(sandbox.url + "/__sandbox/stats", timeout=10).json()
    assert stats["requests"] == 5  # the stats request itself counts in the total
    assert {cid: s["requests"] for cid, s in stats["accounts"].items()} == {"ip": 2, "brand": 2}
    assert stats["accounts"]["brand"]["processing_s"] > 0
    sandbox.reset_calls()
    assert sandbox.credentials_seen == {} and sandbox.account("brand").calls == {}


def test_the_rate_limit_is_per_client_id(make_sandbox):
    sandbox = two(make_sandbox, rate_limit=2)
    sandbox.rate.clock = lambda: 1_000_000.0  # every request in one second
    assert [post(sandbox, LIST, {"limit": 1}, headers=A).status_code for _ in range(3)] == [200, 200, 429]
    assert post(sandbox, LIST, {"limit": 1}, headers=B).status_code == 200


def test_the_front_price_api_serves_each_accounts_storefront(make_sandbox):
    sandbox = make_sandbox(
        accounts=[
            {"client_id": "ip", "api_key": "ip-key", "products": 3, "front_seller_id": "111"},
            {"client_id": "brand", "api_key": "brand-key", "products": 4, "seed": 2, "front_seller_id": "222"},
        ]
    )

    def skus(seller):
        answer = requests.get(f"{sandbox.url}/api/v1/seller/{seller}?page=1", timeout=10)
        return answer.status_code, {row["sku_id"] for row in answer.json().get("products", [])}

    status_ip, ip = skus("111")
    status_brand, brand = skus("222")
    assert status_ip == status_brand == 200 and ip and brand and not ip & brand
    assert {
        str(sandbox.account("brand").catalog.product(i).sku) for i in sandbox.account("brand").catalog.active_indices()
    } == brand
    assert skus("333")[0] == 404


def test_numbered_accounts_and_the_first_accounts_attributes(make_sandbox):
    sandbox = make_sandbox(products=4, accounts=2)
    assert list(sandbox.shops) == ["sandbox", "sandbox-2"]
    assert (sandbox.client_id, sandbox.api_key) == ("sandbox", "sandbox-key")
    assert sandbox.account("sandbox-2").api_key == "sandbox-2-key"
    assert sandbox.catalog is sandbox.account("sandbox").catalog
    assert sandbox.account("sandbox-2").seed == 2
    # Task ids are apart too: Ozon's discount and picture task ids are unique across sellers.
    assert sandbox.account("sandbox-2").discounts.first_id != sandbox.account("sandbox").discounts.first_id
    with pytest.raises(KeyError, match="nobody"):
        sandbox.account("nobody")


def test_two_accounts_with_one_client_id_are_refused(make_sandbox):
    with pytest.raises(ValueError, match="two sandbox accounts"):
        make_sandbox(accounts=[{"client_id": "x", "api_key": "1"}, {"client_id": "x", "api_key": "2"}])
    with pytest.raises(ValueError, match="unknown sandbox account options"):
        make_sandbox(accounts=[{"client_id": "x", "api_key": "1", "colour": "red"}])


def test_numbered_accounts_number_the_front_price_seller_id_too(make_sandbox):
    sandbox = make_sandbox(products=4, accounts=2, front_seller_id="bench")

    def skus(seller):
        answer = requests.get(f"{sandbox.url}/api/v1/seller/{seller}?page=1", timeout=10)
        return answer.status_code, {row["sku_id"] for row in answer.json().get("products", [])}

    first, second = skus("bench"), skus("bench-2")
    assert first[0] == second[0] == 200 and first[1] and second[1] and not first[1] & second[1]
    assert [shop.front_seller_id for shop in sandbox.shops.values()] == ["bench", "bench-2"]
    assert skus("bench-3")[0] == 404

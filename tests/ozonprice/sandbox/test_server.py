"""The Ozon sandbox server over real HTTP on 127.0.0.1: auth, state in every answer, call counts, latency, routes."""

import threading
import time

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.server import OzonSandbox

pytestmark = pytest.mark.e2e

AUTH = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}
LIST, INFO, PRICES, STOCKS = (
    "/v3/product/list",
    "/v3/product/info/list",
    "/v5/product/info/prices",
    "/v4/product/info/stocks",
)
# Ozon's info item fields (OpenAPI v3GetProductInfoListResponse) without images360
# (removed 10 Jul 2026), plus declared_price (added 28 Sep 2026).
INFO_FIELDS = {
    "availabilities",
    "barcodes",
    "color_image",
    "commissions",
    "created_at",
    "currency_code",
    "declared_price",
    "description_category_id",
    "discounted_fbo_stocks",
    "errors",
    "has_discounted_fbo_item",
    "id",
    "images",
    "is_archived",
    "is_autoarchived",
    "is_discounted",
    "is_kgt",
    "is_prepayment_allowed",
    "is_super",
    "min_price",
    "model_info",
    "name",
    "offer_id",
    "old_price",
    "price",
    "price_indexes",
    "primary_image",
    "promotions",
    "sku",
    "sources",
    "statuses",
    "stocks",
    "type_id",
    "updated_at",
    "vat",
    "visibility_details",
    "volume_weight",
}
GONE = {"total", "marketing_price", "images360"}


def post(sandbox: OzonSandbox, path: str, body, headers=AUTH, session=requests):
    return session.post(sandbox.url + path, json=body, headers=headers, timeout=10)


def keys(value) -> set[str]:
    """Every key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | set().union(*(keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys(v) for v in value)) if value else set()
    return set()


def list_all(sandbox, visibility, limit=1000, **filter_):
    ids, last_id, pages = [], "", []
    while True:
        answer = post(
            sandbox, LIST, {"filter": {"visibility": visibility, **filter_}, "last_id": last_id, "limit": limit}
        )
        assert answer.status_code == 200, answer.text
        result = answer.json()["result"]
        pages.append(result)
        ids += [item["product_id"] for item in result["items"]]
        last_id = result["last_id"]
        if not last_id:
            return ids, pages


def cursor_all(sandbox, path, visibility="ALL", limit=1000):
    items, cursor = [], ""
    while True:
        answer = post(sandbox, path, {"cursor": cursor, "filter": {"visibility": visibility}, "limit": limit})
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert "total" not in data
        items += data["items"]
        cursor = data["cursor"]
        if not cursor:
            return items, data


def test_malformed_json_unknown_path_and_wrong_method(ozon_sandbox):
    garbage = requests.post(ozon_sandbox.url + LIST, data=b"{not json", headers=AUTH, timeout=10)
    assert garbage.status_code == 400 and garbage.json()["code"] == 3
    missing = post(ozon_sandbox, "/v1/no/such/method", {})
    assert missing.status_code == 404 and missing.json() == {"code": 5, "message": "Not Found", "details": []}
    wrong = requests.get(ozon_sandbox.url + LIST, headers=AUTH, timeout=10)
    assert wrong.status_code == 405 and wrong.json()["code"] == 12


@pytest.mark.parametrize("headers", [{}, {"Client-Id": "sandbox"}, {"Client-Id": "sandbox", "Api-Key": "wrong"}])
def test_requests_without_valid_credentials_get_401(ozon_sandbox, headers):
    answer = post(ozon_sandbox, LIST, {"filter": {}, "limit": 1}, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"code": 16, "message": "Invalid Api-Key, please contact support", "details": []}


def test_configured_credentials_are_the_ones_accepted(make_sandbox):
    sandbox = make_sandbox(products=5, client_id="42", api_key="k-1")
    assert post(sandbox, LIST, {"limit": 5}).status_code == 401
    assert post(sandbox, LIST, {"limit": 5}, headers={"Client-Id": "42", "Api-Key": "k-1"}).status_code == 200


def test_state_changes_show_in_every_answer(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    i = next(i for i in range(1, 301) if not catalog.product(i).archived)
    product_id = 100000000 + i
    ozon_sandbox.set_price(product_id, price="1234.5", old_price="2000")
    ozon_sandbox.set_stock(product_id, fbo_present=0, fbs_present=0)
    info = post(ozon_sandbox, INFO, {"product_id": [product_id]}).json()["items"][0]
    assert (info["price"], info["old_price"], info["stocks"]["has_stock"]) == ("1234.50", "2000.00", False)
    body = {"cursor": "", "filter": {"product_id": [str(product_id)], "visibility": "ALL"}, "limit": 10}
    assert post(ozon_sandbox, PRICES, body).json()["items"][0]["price"]["price"] == 1234.5

    ozon_sandbox.remove([product_id])
    assert product_id not in list_all(ozon_sandbox, "ALL")[0]
    assert post(ozon_sandbox, INFO, {"product_id": [product_id]}).json() == {"items": []}
    ozon_sandbox.restore([product_id])
    ozon_sandbox.archive([product_id])
    assert product_id in list_all(ozon_sandbox, "ARCHIVED")[0]
    new_ids = ozon_sandbox.add_products(3)
    assert set(new_ids) <= set(list_all(ozon_sandbox, "ALL")[0] + list_all(ozon_sandbox, "ARCHIVED")[0])


def test_calls_are_counted_per_path_across_threads(ozon_sandbox):
    def hammer():
        with requests.Session() as session:
            for _ in range(25):
                post(ozon_sandbox, LIST, {"limit": 1}, session=session)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ozon_sandbox.calls == {LIST: 100}
    ozon_sandbox.reset_calls()
    assert ozon_sandbox.calls == {}


def test_latency_is_applied_to_every_answer(make_sandbox):
    sandbox = make_sandbox(products=1, latency_ms=80)
    started = time.monotonic()
    post(sandbox, LIST, {"limit": 1})
    assert time.monotonic() - started >= 0.08


def test_the_latency_includes_the_doubles_own_work(make_sandbox):
    sandbox = make_sandbox(products=1, latency_ms=150)

    def slow(sandbox, request):
        time.sleep(0.1)  # the double's own work, inside the answer time
        return {}

    sandbox.add_route("/v1/slow", slow, ozon_auth=False)
    started = time.monotonic()
    assert requests.post(sandbox.url + "/v1/slow", json={}, timeout=10).status_code == 200
    assert 0.15 <= time.monotonic() - started < 0.22  # not 150 ms of latency + 100 ms of work


def test_new_routes_can_be_added_without_touching_the_plumbing(ozon_sandbox):
    def seller_page(sandbox, request):
        return {"seller": request.path.rsplit("/", 1)[1], "page": int(request.query.get("page", "1"))}

    ozon_sandbox.add_route("/api/v1/seller/", seller_page, method="GET", prefix=True, ozon_auth=False)
    answer = requests.get(ozon_sandbox.url + "/api/v1/seller/777?page=3", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"seller": "777", "page": 3}
    assert ozon_sandbox.calls["/api/v1/seller/777"] == 1
    assert requests.post(ozon_sandbox.url + "/api/v1/seller/777", json={}, timeout=10).status_code == 405

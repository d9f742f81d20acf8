"""The Ozon sandbox over real HTTP on 127.0.0.1: shapes, paging, limits, auth, failures."""

import threading
import time
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.products import demo_product
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


@pytest.mark.parametrize("ozon_sandbox", [2500], indirect=True)
def test_paging_covers_every_product_exactly_once(ozon_sandbox):
    active, pages = list_all(ozon_sandbox, "ALL")
    archived, _ = list_all(ozon_sandbox, "ARCHIVED")
    assert len(set(active)) == len(active) and len(set(archived)) == len(archived)
    assert sorted(active + archived) == [100000000 + i for i in range(1, 2501)]
    assert [len(page["items"]) for page in pages] == [1000, 1000, len(active) - 2000]
    assert all(page["total_items"] == len(active) for page in pages)
    assert all("total" not in page for page in pages)
    assert all(not demo_product(1, pid - 100000000).archived for pid in active)
    assert all(demo_product(1, pid - 100000000).archived for pid in archived)
    assert 0 < len(archived) < 250  # about 5 %


def test_list_items_have_ozons_shape(ozon_sandbox):
    item = post(ozon_sandbox, LIST, {"filter": {"visibility": "ALL"}, "limit": 1}).json()["result"]["items"][0]
    assert set(item) == {
        "product_id",
        "offer_id",
        "archived",
        "has_fbo_stocks",
        "has_fbs_stocks",
        "is_discounted",
        "quants",
        "sku",
    }
    product = demo_product(1, item["product_id"] - 100000000)
    assert item["offer_id"] == product.offer_id and item["sku"] == product.sku and item["quants"] == []


def test_list_filter_by_ids_still_applies_visibility(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    archived_id = next(100000000 + i for i in range(1, 301) if catalog.product(i).archived)
    active_id = next(100000000 + i for i in range(1, 301) if not catalog.product(i).archived)
    ids = [str(archived_id), str(active_id), "999"]
    assert list_all(ozon_sandbox, "ALL", product_id=ids)[0] == [active_id]
    assert list_all(ozon_sandbox, "ARCHIVED", product_id=ids)[0] == [archived_id]
    assert list_all(ozon_sandbox, "ALL", offer_id=[f"ART-{active_id - 100000000:06d}"])[0] == [active_id]


def test_info_list_has_no_wrapper_and_only_current_fields(ozon_sandbox):
    ids = [100000001, "100000002", 100009999]  # ints and strings; the last one is unknown
    answer = post(ozon_sandbox, INFO, {"product_id": ids})
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"items"}
    assert [item["id"] for item in data["items"]] == [100000001, 100000002]
    assert not keys(data) & GONE
    for item in data["items"]:
        assert set(item) == INFO_FIELDS
        product = demo_product(1, item["id"] - 100000000)
        assert item["name"] == product.name and item["sku"] == product.sku
        assert (
            item["price"] == str(product.price)
            and item["price"].count(".") == 1
            and len(item["price"].split(".")[1]) == 2
        )
        assert isinstance(item["primary_image"], list) and item["primary_image"] == [product.images[0]]
        assert isinstance(item["color_image"], list)
        assert item["images"] == list(product.images)
        assert item["statuses"]["status"] == "price_sent"
        assert item["stocks"]["has_stock"] == product.has_stock
        assert {s["source"] for s in item["stocks"]["stocks"]} == {"fbo", "fbs"}


def test_info_list_takes_offer_ids_and_skus(ozon_sandbox):
    answer = post(ozon_sandbox, INFO, {"offer_id": ["ART-000003"], "sku": [200000004]}).json()
    assert [item["offer_id"] for item in answer["items"]] == ["ART-000003", "ART-000004"]


def test_v5_prices_are_numbers_and_cursor_paged(make_sandbox):
    sandbox = make_sandbox(products=1200)
    items, last = cursor_all(sandbox, PRICES, limit=500)
    active = [i for i in range(1, 1201) if not demo_product(1, i).archived]
    assert [item["product_id"] for item in items] == [100000000 + i for i in active]
    assert last["total_items"] == len(active) and last["cursor"] == ""
    assert not keys(items) & GONE
    for item in items[:50]:
        price = item["price"]
        product = demo_product(1, item["product_id"] - 100000000)
        for name in ("price", "old_price", "min_price", "marketing_seller_price"):
            assert isinstance(price[name], int | float) and not isinstance(price[name], bool)
            assert Decimal(str(price[name])) == getattr(product, name)
        assert price["marketing_seller_price"] <= price["price"]
        assert set(item) == {
            "product_id",
            "offer_id",
            "acquiring",
            "volume_weight",
            "commissions",
            "marketing_actions",
            "price_indexes",
            "price",
        }


def test_v5_prices_filtered_by_id_apply_visibility_like_ozon(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    archived = [100000000 + i for i in range(1, 301) if catalog.product(i).archived][:2]
    active = [100000000 + i for i in range(1, 301) if not catalog.product(i).archived][:3]
    ids = [str(pid) for pid in archived + active]
    for visibility, expected in (("ALL", active), ("ARCHIVED", archived)):
        body = {"cursor": "", "filter": {"product_id": ids, "visibility": visibility}, "limit": 1000}
        data = post(ozon_sandbox, PRICES, body).json()
        assert [item["product_id"] for item in data["items"]] == expected
        assert data["total_items"] == len(expected) and data["cursor"] == ""


def test_v4_stocks_have_ozons_shape(ozon_sandbox):
    items, last = cursor_all(ozon_sandbox, STOCKS, visibility="ARCHIVED")
    assert items and last["total_items"] == len(items)
    for item in items:
        product = demo_product(1, item["product_id"] - 100000000)
        assert product.archived and item["offer_id"] == product.offer_id
        assert [(s["type"], s["shipment_type"], s["sku"]) for s in item["stocks"]] == [
            ("fbo", "SHIPMENT_TYPE_GENERAL", product.sku),
            ("fbs", "SHIPMENT_TYPE_GENERAL", product.sku),
        ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (INFO, {"product_id": [str(100000000 + i) for i in range(1001)]}),
        (INFO, {"product_id": ["100000001"] * 600, "offer_id": ["ART-000001"] * 401}),
        (LIST, {"filter": {"visibility": "ALL"}, "limit": 1001}),
        (LIST, {"filter": {"visibility": "ALL"}, "limit": 0}),
        (LIST, {"filter": {"product_id": ["1"] * 1001}, "limit": 10}),
        (LIST, {"filter": {"visibility": "NOT_A_VISIBILITY"}, "limit": 10}),
        (PRICES, {"filter": {"visibility": "ALL"}, "limit": 1001}),
        (PRICES, {"filter": {"visibility": "ALL"}}),
        (PRICES, {"limit": 10}),
        (PRICES, {"filter": {"product_id": ["1"] * 1001}, "limit": 1000}),
        (STOCKS, {"filter": {"visibility": "ALL"}, "limit": 0}),
        (STOCKS, {"filter": {"visibility": "ALL"}, "limit": 10, "cursor": "not base64!"}),
    ],
)
def test_bad_requests_answer_400_with_ozons_body(ozon_sandbox, path, body):
    answer = post(ozon_sandbox, path, body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == 3 and error["details"] == [] and error["message"]


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


def test_fail_rate_answers_429_and_500_reproducibly(make_sandbox):
    def statuses(sandbox):
        return [post(sandbox, LIST, {"limit": 1}) for _ in range(60)]

    first = statuses(make_sandbox(products=5, fail_rate=0.5, seed=4))
    second = statuses(make_sandbox(products=5, fail_rate=0.5, seed=4))
    assert [a.status_code for a in first] == [a.status_code for a in second]
    by_status = {a.status_code: a for a in first}
    assert set(by_status) == {200, 429, 500}
    assert by_status[429].json() == {
        "code": 8,
        "message": "You have reached request rate limit per second",
        "details": [],
    }
    assert by_status[429].headers["Retry-After"] == "1"
    assert by_status[500].json() == {"code": 13, "message": "Internal error", "details": []}


def test_injected_failures_come_first_then_normal_answers(ozon_sandbox):
    ozon_sandbox.fail_next(PRICES, count=2, status=503, headers={"X-Why": "drill"})
    ozon_sandbox.fail_next(INFO, status=429)
    body = {"filter": {"visibility": "ALL"}, "limit": 1}
    first, second, third = (post(ozon_sandbox, PRICES, body) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["X-Why"] == "drill" and first.json()["code"] == 13
    limited = post(ozon_sandbox, INFO, {"product_id": [1]})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1" and limited.json()["code"] == 8
    assert post(ozon_sandbox, LIST, {"limit": 1}).status_code == 200  # other paths unaffected
    assert ozon_sandbox.calls[PRICES] == 3 and ozon_sandbox.calls[INFO] == 1


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


def test_a_session_keeps_its_connection_alive(ozon_sandbox):
    with requests.Session() as session:
        for _ in range(5):
            assert post(ozon_sandbox, LIST, {"limit": 1}, session=session).status_code == 200
    assert ozon_sandbox.connections_opened == 1


def test_latency_is_applied_to_every_answer(make_sandbox):
    sandbox = make_sandbox(products=1, latency_ms=80)
    started = time.monotonic()
    post(sandbox, LIST, {"limit": 1})
    assert time.monotonic() - started >= 0.08


def test_stop_frees_the_port_even_with_idle_keep_alive_connections():
    sandbox = OzonSandbox(products=3).start()
    session = requests.Session()
    assert post(sandbox, LIST, {"limit": 1}, session=session).status_code == 200
    url = sandbox.url
    sandbox.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url + LIST, json={}, headers=AUTH, timeout=2)
    session.close()


def test_only_loopback_binding_is_allowed():
    with pytest.raises(ValueError, match="127.0.0.1"):
        OzonSandbox(products=1, host="0.0.0.0")  # noqa: S104 - the point of the test


def test_new_routes_can_be_added_without_touching_the_plumbing(ozon_sandbox):
    def seller_page(sandbox, request):
        return {"seller": request.path.rsplit("/", 1)[1], "page": int(request.query.get("page", "1"))}

    ozon_sandbox.add_route("/api/v1/seller/", seller_page, method="GET", prefix=True, ozon_auth=False)
    answer = requests.get(ozon_sandbox.url + "/api/v1/seller/777?page=3", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"seller": "777", "page": 3}
    assert ozon_sandbox.calls["/api/v1/seller/777"] == 1
    assert requests.post(ozon_sandbox.url + "/api/v1/seller/777", json={}, timeout=10).status_code == 405

"""The Ozon client: paging as Ozon documents it, exact parsing, Ozon's error bodies.

Payloads come from tests/fixtures/ozon, shaped like Ozon's current responses
(docs/ozon-api.md §1–3, §6, §7).
"""

import dataclasses
import json
from decimal import Decimal

import pytest
import responses

from ozonprice.clients.http import ApiError, RetryPolicy
from ozonprice.clients.ozon import OzonClient, OzonResponseError, ProductListRepeated, money, parse_ozon_error
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"
LIST_URL = BASE + "/v3/product/list"
INFO_URL = BASE + "/v3/product/info/list"
PRICES_URL = BASE + "/v5/product/info/prices"
STOCKS_URL = BASE + "/v4/product/info/stocks"


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    client = OzonClient(base_url=BASE, client_id="123456", api_key="secret-key-xyz", rate_limit=0, sleep=sleeps.append)
    yield client
    client.close()


def bodies(mock):
    return [json.loads(call.request.body) for call in mock.calls]


def full_page(fixture, *, cursor, start, count=1000):
    """A page of `count` items cloned from the fixture's first item, as Ozon sends a full page."""
    page = load_fixture(fixture)
    template = page["items"][0]
    page["items"] = [dict(template, product_id=start + i, offer_id=f"ART-{start + i}") for i in range(count)]
    page["cursor"] = cursor
    return page


# --- /v3/product/list: last_id paging -----------------------------------------------
def test_it_pages_by_last_id_until_a_short_page(no_network, client):
    first = load_fixture("product_list_page1")
    first["result"]["total_items"] = 2  # a wrong count must not end the paging early
    no_network.add(responses.POST, LIST_URL, json=first)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page2"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    pages = list(client.product_list_pages(limit=2))

    offers = [[p.offer_id for p in page] for page in pages]
    assert offers == [["ART-0001", "ART-0002"], ["ART-0003", "ART-0004"], ["ART-0005"]]
    assert bodies(no_network) == [
        {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 2},
        {"filter": {"visibility": "ALL"}, "last_id": "WzI0MzY4NjkxMl0=", "limit": 2},
        {"filter": {"visibility": "ALL"}, "last_id": "WzI0MzY4NjkxNF0=", "limit": 2},
    ]
    assert pages[0][0].product_id == 243686911 and pages[0][0].archived is False


def test_it_stops_on_an_empty_page(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page1"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page2"))
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_empty"))

    pages = list(client.product_list_pages(limit=2))

    assert sum(len(page) for page in pages) == 4
    assert len(no_network.calls) == 3


def test_it_stops_and_says_so_when_ozon_hands_back_the_same_last_id(no_network, client):
    first = load_fixture("product_list_page1")
    again = load_fixture("product_list_page2")
    again["result"]["last_id"] = first["result"]["last_id"]
    no_network.add(responses.POST, LIST_URL, json=first)
    no_network.add(responses.POST, LIST_URL, json=again)
    # Ends a client that does not notice the repeat with a wrong count instead of a hang.
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_page3"))

    pages = []
    # A full page whose cursor did not move: the listing cannot go on, and is not
    # taken for the end (the sync then needs a second pass before marking products missing).
    with pytest.raises(ProductListRepeated, match="served a page again"):
        for page in client.product_list_pages(limit=2):
            pages.append(page)

    assert len(no_network.calls) == 2
    assert len(pages) == 2


def test_it_sends_the_archived_visibility_when_asked(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_archived"))

    [page] = list(client.product_list_pages(visibility="ARCHIVED"))

    assert bodies(no_network) == [{"filter": {"visibility": "ARCHIVED"}, "last_id": "", "limit": 1000}]
    assert page[0].archived is True


# --- v5 prices and v4 stocks: cursor paging -------------------------------------------
def test_prices_page_by_cursor_until_an_empty_page(no_network, client):
    no_network.add(responses.POST, PRICES_URL, json=full_page("product_prices_v5", cursor="c1", start=300000000))
    no_network.add(responses.POST, PRICES_URL, json=full_page("product_prices_v5", cursor="c2", start=300001000))
    no_network.add(responses.POST, PRICES_URL, json=load_fixture("product_prices_v5_last"))

    pages = list(client.product_prices())

    assert [len(page) for page in pages] == [1000, 1000]
    assert [(b["cursor"], b["limit"], b["filter"]) for b in bodies(no_network)] == [
        ("", 1000, {"visibility": "ALL"}),
        ("c1", 1000, {"visibility": "ALL"}),
        ("c2", 1000, {"visibility": "ALL"}),
    ]


def test_prices_stop_on_a_short_page_even_with_a_cursor(no_network, client):
    no_network.add(responses.POST, PRICES_URL, json=load_fixture("product_prices_v5"))

    pages = list(client.product_prices())

    assert [len(page) for page in pages] == [2]
    assert len(no_network.calls) == 1


def test_stocks_page_by_cursor_until_the_cursor_is_empty(no_network, client):
    no_network.add(responses.POST, STOCKS_URL, json=full_page("product_stocks_v4", cursor="c1", start=300000000))
    no_network.add(responses.POST, STOCKS_URL, json=full_page("product_stocks_v4", cursor="", start=300001000))

    pages = list(client.product_stocks(visibility="VISIBLE"))

    assert [len(page) for page in pages] == [1000, 1000]
    sent = [(b["cursor"], b["filter"]["visibility"]) for b in bodies(no_network)]
    assert sent == [("", "VISIBLE"), ("c1", "VISIBLE")]


@pytest.mark.parametrize(
    ("method", "url", "fixture"),
    [
        ("product_prices", PRICES_URL, "product_prices_v5"),
        ("product_stocks", STOCKS_URL, "product_stocks_v4"),
    ],
)
def test_a_call_filtered_by_ids_stops_once_every_id_came_back(no_network, client, method, url, fixture):
    ids = list(range(300000000, 300001000))
    no_network.add(responses.POST, url, json=full_page(fixture, cursor="more", start=300000000))

    pages = list(getattr(client, method)(product_ids=ids))

    assert sum(len(page) for page in pages) == 1000
    assert len(no_network.calls) == 1
    assert bodies(no_network)[0]["filter"]["product_id"] == [str(i) for i in ids]


@pytest.mark.parametrize(
    "call",
    [
        lambda c, ids: c.product_info_list(product_ids=ids),
        lambda c, ids: list(c.product_prices(product_ids=ids)),
        lambda c, ids: list(c.product_stocks(product_ids=ids)),
    ],
)
def test_more_than_1000_ids_raise_before_any_call(no_network, client, call):
    with pytest.raises(ValueError, match="1001"):
        call(client, list(range(1, 1002)))

    assert len(no_network.calls) == 0


def test_no_ids_make_no_call(no_network, client):
    assert client.product_info_list(product_ids=[]) == []
    assert list(client.product_prices(product_ids=[])) == []
    assert list(client.product_stocks(product_ids=[])) == []
    assert len(no_network.calls) == 0


# --- parsing ------------------------------------------------------------------------------
def test_info_list_reads_items_without_a_result_wrapper(no_network, client):
    no_network.add(responses.POST, INFO_URL, json=load_fixture("product_info_list"))

    full, bare = client.product_info_list(product_ids=[243686911, 243686912])

    assert bodies(no_network) == [{"product_id": ["243686911", "243686912"]}]
    assert (full.product_id, full.offer_id, full.sku) == (243686911, "ART-0001", 1826485911)
    assert full.name == "Кружка керамическая 350 мл"
    assert full.images == [
        "https://cdn1.ozone.ru/s3/multimedia-a/6900000001.jpg",
        "https://cdn1.ozone.ru/s3/multimedia-b/6900000002.jpg",
    ]
    assert (full.archived, full.has_stock, full.visible, full.status) == (False, True, True, "price_sent")
    assert (bare.has_stock, bare.visible, bare.images) == (False, False, [])


def test_info_string_prices_become_decimals_to_the_cent(no_network, client):
    no_network.add(responses.POST, INFO_URL, json=load_fixture("product_info_list"))

    full, bare = client.product_info_list(product_ids=[243686911, 243686912])

    assert (full.price, full.old_price, full.min_price) == (Decimal("1290.50"), Decimal("1590.00"), Decimal("1200.00"))
    assert str(full.price) == "1290.50" and str(full.old_price) == "1590.00"
    assert all(type(x) is Decimal for x in (full.price, full.old_price, full.min_price, bare.price))
    assert full.currency_code == "RUB"


def test_an_empty_price_string_means_no_price(no_network, client):
    no_network.add(responses.POST, INFO_URL, json=load_fixture("product_info_list"))

    _, bare = client.product_info_list(product_ids=[243686911, 243686912])

    assert bare.old_price is None and bare.min_price is None
    assert bare.price == Decimal("990.00")


def test_primary_and_color_image_arrays_give_their_first_url(no_network, client):
    no_network.add(responses.POST, INFO_URL, json=load_fixture("product_info_list"))

    full, bare = client.product_info_list(product_ids=[243686911, 243686912])

    assert full.primary_image == "https://cdn1.ozone.ru/s3/multimedia-p/6900000000.jpg"
    assert full.color_image == "https://cdn1.ozone.ru/s3/multimedia-x/6900000011.jpg"
    assert (bare.primary_image, bare.color_image) == ("", "")


def test_v5_number_prices_become_decimals_and_never_floats(no_network, client):
    no_network.add(responses.POST, PRICES_URL, json=load_fixture("product_prices_v5"))

    [[first, second]] = list(client.product_prices())

    assert (first.product_id, first.offer_id, first.currency_code) == (243686911, "ART-0001", "RUB")
    assert first.price == Decimal("1290.50") and str(first.price) == "1290.50"
    assert first.old_price == Decimal("1590.00") and first.min_price == Decimal("1200.00")
    assert first.marketing_seller_price == Decimal("1250.76")
    assert second.old_price == Decimal("0.00")
    for row in (first, second):
        for f in dataclasses.fields(row):
            value = getattr(row, f.name)
            assert not isinstance(value, float), f.name
            if f.name in {"price", "old_price", "min_price", "marketing_seller_price"}:
                assert type(value) is Decimal and value.as_tuple().exponent == -2, f.name


def test_v5_prices_are_read_from_the_json_text_without_a_float_in_between(no_network, client):
    page = load_fixture("product_prices_v5")
    page["items"][0]["price"]["price"] = "PRICE"
    # A float would round this to 1290.005 and then half-even down to 1290.00.
    body = json.dumps(page).replace('"PRICE"', "1290.005000000000000001")
    no_network.add(responses.POST, PRICES_URL, body=body, content_type="application/json")

    [[first, _]] = list(client.product_prices())

    assert first.price == Decimal("1290.01")


def test_stock_totals_are_summed_over_every_stock_entry(no_network, client):
    no_network.add(responses.POST, STOCKS_URL, json=load_fixture("product_stocks_v4"))

    [[first, second]] = list(client.product_stocks())

    assert (first.product_id, first.present, first.reserved) == (243686911, 10, 3)
    assert (second.product_id, second.present, second.reserved) == (243686912, 0, 0)


def _drop(data, *keys):
    target = data
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    return data


@pytest.mark.parametrize(
    ("url", "path", "body", "field", "call"),
    [
        (
            INFO_URL,
            "/v3/product/info/list",
            _drop(load_fixture("product_info_list"), "items", 0, "id"),
            "'id'",
            lambda c: c.product_info_list(product_ids=[243686911]),
        ),
        (
            INFO_URL,
            "/v3/product/info/list",
            {"result": load_fixture("product_info_list")},
            "'items'",
            lambda c: c.product_info_list(product_ids=[243686911]),
        ),
        (
            LIST_URL,
            "/v3/product/list",
            _drop(load_fixture("product_list_page1"), "result", "items", 1, "offer_id"),
            "'offer_id'",
            lambda c: list(c.product_list_pages()),
        ),
        (
            PRICES_URL,
            "/v5/product/info/prices",
            _drop(load_fixture("product_prices_v5"), "items", 0, "price"),
            "'price'",
            lambda c: list(c.product_prices()),
        ),
        (
            STOCKS_URL,
            "/v4/product/info/stocks",
            _drop(load_fixture("product_stocks_v4"), "items", 1, "product_id"),
            "'product_id'",
            lambda c: list(c.product_stocks()),
        ),
    ],
)
def test_a_missing_required_field_is_a_permanent_error_naming_endpoint_and_field(
    no_network, client, url, path, body, field, call
):
    no_network.add(responses.POST, url, json=body)

    with pytest.raises(OzonResponseError) as caught:
        call(client)

    assert isinstance(caught.value, ApiError)
    assert caught.value.permanent is True
    assert caught.value.endpoint == path
    assert path in str(caught.value) and field in str(caught.value)
    assert len(no_network.calls) == 1


def test_a_price_that_is_not_a_number_is_a_response_error(no_network, client):
    info = load_fixture("product_info_list")
    info["items"][0]["price"] = "12,90"
    no_network.add(responses.POST, INFO_URL, json=info)

    with pytest.raises(OzonResponseError, match="/v3/product/info/list"):
        client.product_info_list(product_ids=[243686911])


def test_a_200_that_is_not_json_is_a_permanent_api_error(no_network, client):
    no_network.add(responses.POST, INFO_URL, body="<html>upstream error</html>", content_type="text/html")

    with pytest.raises(ApiError) as caught:
        client.product_info_list(product_ids=[243686911])

    assert caught.value.permanent is True
    assert len(no_network.calls) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1290.5", Decimal("1290.50")),
        ("1590", Decimal("1590.00")),
        (Decimal("99.999"), Decimal("100.00")),
        (1290, Decimal("1290.00")),
        ("0", Decimal("0.00")),
        ("", None),
        (None, None),
    ],
)
def test_money_is_a_decimal_to_the_cent_or_none(value, expected):
    result = money(value)
    assert result == expected
    assert result is None or (type(result) is Decimal and result.as_tuple().exponent == -2)


# --- Ozon's error bodies ----------------------------------------------------------------------
def test_the_message_of_an_ozon_error_is_in_the_api_error_text(no_network, client):
    no_network.add(responses.POST, LIST_URL, json=load_fixture("error_400_invalid_argument"), status=400)

    with pytest.raises(ApiError) as caught:
        list(client.product_list_pages())

    assert "filter.visibility: value must be one of the defined enum values" in str(caught.value)
    assert "400" in str(caught.value) and "/v3/product/list" in str(caught.value)
    assert caught.value.code == 3


@pytest.mark.parametrize(
    ("fixture", "code", "message"),
    [
        ("error_429_rate_limit", 8, "You have reached request rate limit per second"),
        ("error_429_resource_exhausted", "RESOURCE_EXHAUSTED", "You have reached operation items limits"),
    ],
)
def test_an_error_code_parses_as_an_int_and_as_a_string(no_network, sleeps, fixture, code, message):
    client = OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key="secret-key-xyz",
        rate_limit=0,
        retry=RetryPolicy(max_retries=0),
        sleep=sleeps.append,
    )
    no_network.add(responses.POST, PRICES_URL, json=load_fixture(fixture), status=429)

    with pytest.raises(ApiError) as caught:
        list(client.product_prices())

    assert caught.value.code == code
    assert message in str(caught.value)
    assert caught.value.status == 429 and caught.value.permanent is False


def test_an_internal_error_is_transient_and_carries_ozons_message(no_network, sleeps):
    client = OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key="secret-key-xyz",
        rate_limit=0,
        retry=RetryPolicy(max_retries=0),
        sleep=sleeps.append,
    )
    no_network.add(responses.POST, STOCKS_URL, json=load_fixture("error_500_internal"), status=500)

    with pytest.raises(ApiError, match="Internal error") as caught:
        list(client.product_stocks())

    assert caught.value.permanent is False and caught.value.code == 13


def test_an_error_body_that_is_not_json_falls_back_to_the_http_reason(no_network, client):
    no_network.add(responses.POST, INFO_URL, body="<html>forbidden</html>", status=403)

    with pytest.raises(ApiError, match="Forbidden") as caught:
        client.product_info_list(product_ids=[243686911])

    assert caught.value.permanent is True and caught.value.code is None


@pytest.mark.parametrize(
    ("body", "parsed"),
    [
        (
            {"code": 7, "message": "Api-Key is missing a required role for a method", "details": []},
            (7, "Api-Key is missing a required role for a method"),
        ),
        ({"code": "RESOURCE_EXHAUSTED", "message": "limit"}, ("RESOURCE_EXHAUSTED", "limit")),
        ({"message": None}, (None, "")),
        (["not", "an", "object"], (None, "")),
        (None, (None, "")),
    ],
)
def test_parse_ozon_error_reads_rpc_status(body, parsed):
    assert parse_ozon_error(body) == parsed


# --- configuration ---------------------------------------------------------------------------
def test_of_refuses_an_account_without_credentials(db):
    from tests.factories import AccountFactory

    with pytest.raises(ApiError, match="credentials of the account 'Bare' are not configured") as caught:
        OzonClient.of(AccountFactory(name="Bare", api_key=""))

    assert caught.value.permanent is True


def test_of_uses_the_account_credentials(ozon_credentials, no_network):
    client = OzonClient.of(ozon_credentials)
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_empty"))

    assert list(client.product_list_pages()) == []
    headers = no_network.calls[0].request.headers
    assert (headers["Client-Id"], headers["Api-Key"]) == ("123456", "test-api-key-0f1e2d3c4b5a")


@pytest.mark.django_db
def test_a_client_of_an_account_carries_its_client_id_and_key():
    from ozonprice.clients.ozon import OzonClient
    from tests.factories import AccountFactory

    account = AccountFactory(client_id="777", api_key="key-of-777-0123456789")
    client = OzonClient.of(account)
    assert (client.client_id, client.api_key) == ("777", "key-of-777-0123456789")


@pytest.mark.django_db
def test_an_account_without_credentials_is_a_permanent_error_naming_it():
    from ozonprice.clients.ozon import OzonClient
    from tests.factories import AccountFactory

    with pytest.raises(ApiError, match="'Brand'") as caught:
        OzonClient.of(AccountFactory(name="Brand", api_key=""))
    assert caught.value.permanent

"""`manage.py ozon_sandbox`, and the project's Ozon client against the sandbox."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly
from django.core.management import CommandError, call_command

from ozonprice.clients.ozon import OzonClient
from ozonprice.sandbox.products import demo_product
from tests.factories import account_default

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


@pytest.mark.e2e
def test_the_command_serves_until_sigterm_and_exits_cleanly():
    command = [sys.executable, str(MANAGE), "ozon_sandbox", "--port", "0", "--products", "7", "--seed", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("Ozon sandbox (test double) serving 7 products on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        options = process.stdout.readline().strip()
        assert options == (
            f"Front Price API {url}/api/v1/seller/<any id>?page=N; storefront delay 0s; no marketplace discount; "
            "Premium Pro on; pictures tasks 0.5s, 60 items/min; 50 requests/s per Client-Id"
        )
        answer = requests.post(
            url + "/v3/product/list",
            json={"filter": {"visibility": "ALL"}, "limit": 10},
            headers={"Client-Id": "sandbox", "Api-Key": "sandbox-key"},
            timeout=10,
        )
        expected = [100000000 + i for i in range(1, 8) if not demo_product(2, i).archived]
        assert [item["product_id"] for item in answer.json()["result"]["items"]] == expected
        # Like Ozon: 50 requests a second per Client-Id by default, the rest told on every answer.
        assert int(answer.headers["Ratelimit-Remaining"]) < 50
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.mark.e2e
def test_the_command_passes_the_price_and_picture_options_on():
    command = [
        sys.executable, str(MANAGE), "ozon_sandbox", "--port", "0", "--products", "30",
        "--storefront-delay", "2.5", "--marketplace-discount-share", "0.5", "--marketplace-discount-percent", "8",
        "--no-premium-pro", "--front-seller-id", "shop-1", "--front-page-size", "10",
        "--pictures-delay", "0", "--pictures-per-minute", "1", "--rate-limit", "0",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        assert process.stdout.readline().strip() == (
            f"Front Price API {url}/api/v1/seller/shop-1?page=N; storefront delay 2.5s; "
            "marketplace discount 8% on 50% of products; Premium Pro off; pictures tasks 0s, 1 items/min; no rate limit"
        )
        auth = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}
        details = requests.post(
            url + "/v1/product/prices/details", json={"skus": ["200000001"]}, headers=auth, timeout=10
        )
        assert details.status_code == 403
        assert requests.get(url + "/api/v1/seller/other", timeout=10).status_code == 404
        page = requests.get(url + "/api/v1/seller/shop-1", timeout=10).json()
        assert page["pagination"]["items_per_page"] == 10 and len(page["products"]) == 10
        body = {"items": [{"offer_id": "ART-000001", "images": ["https://images.example.com/1.jpg"]}]}
        assert requests.post(url + "/v2/product/pictures/import", json=body, headers=auth, timeout=10).ok
        again = requests.post(url + "/v2/product/pictures/import", json=body, headers=auth, timeout=10)
        assert again.status_code == 429
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.mark.e2e
def test_the_command_serves_several_accounts_and_prints_their_credentials():
    command = [sys.executable, str(MANAGE), "ozon_sandbox", "--port", "0", "--products", "4", "--accounts", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        process.stdout.readline()  # the options
        accounts = [process.stdout.readline().strip() for _ in range(2)]
        assert accounts == [
            "account 1: Client-Id sandbox, Api-Key sandbox-key, 4 products (product_id from 100000001, seed 1)",
            "account 2: Client-Id sandbox-2, Api-Key sandbox-2-key, 4 products (product_id from 101000001, seed 2)",
        ]
        body = {"filter": {"visibility": "ALL"}, "limit": 10}
        second = {"Client-Id": "sandbox-2", "Api-Key": "sandbox-2-key"}
        items = requests.post(url + "/v3/product/list", json=body, headers=second, timeout=10).json()["result"]
        assert {item["product_id"] for item in items["items"]} <= set(range(101000001, 101000005))
        wrong = {"Client-Id": "sandbox-2", "Api-Key": "sandbox-key"}
        assert requests.post(url + "/v3/product/list", json=body, headers=wrong, timeout=10).status_code == 401
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_the_help_says_it_is_a_test_double(capsys):
    with pytest.raises(SystemExit):
        call_command("ozon_sandbox", "--help")
    out = capsys.readouterr().out
    assert "TEST DOUBLE" in out
    for flag in (
        "--storefront-delay",
        "--marketplace-discount-share",
        "--marketplace-discount-percent",
        "--no-premium-pro",
        "--front-seller-id",
        "--pictures-delay",
        "--pictures-per-minute",
    ):
        assert flag in out
    assert "/api/v1/seller/" in out and "/v1/product/import/prices" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fail_rate": 1.5}, "fail_rate"),
        ({"products": -1}, "--products"),
        ({"port": 70000}, "--port"),
        ({"storefront_delay": -1}, "storefront_delay_s"),
        ({"marketplace_discount_share": 2}, "marketplace_discount_share"),
        ({"marketplace_discount_percent": 100}, "marketplace_discount_percent"),
        ({"pictures_per_minute": -1}, "pictures_per_minute"),
        ({"pictures_delay": -1}, "pictures_delay_s"),
        ({"front_page_size": 0}, "front_page_size"),
        ({"accounts": 0}, "--accounts"),
    ],
)
def test_the_command_refuses_bad_options(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("ozon_sandbox", **options)


@pytest.mark.e2e
@pytest.mark.parametrize("ozon_sandbox", [2100], indirect=True)
def test_the_project_client_syncs_the_whole_sandbox(sandbox_account):
    client = OzonClient.of(account_default())
    try:
        listed = [p for page in client.product_list_pages(visibility="ALL") for p in page]
        archived = [p for page in client.product_list_pages(visibility="ARCHIVED") for p in page]
        assert len(listed) + len(archived) == 2100
        info = client.product_info_list(product_ids=[p.product_id for p in listed[:1000]])
        assert len(info) == 1000 and info[0].name == demo_product(1, info[0].product_id - 100000000).name
        prices = [p for page in client.product_prices() for p in page]
        assert len(prices) == len(listed)
        first = prices[0]
        assert first.price == demo_product(1, first.product_id - 100000000).price
        stocks = [s for page in client.product_stocks(product_ids=[p.product_id for p in archived]) for s in page]
        assert len(stocks) == 0  # visibility ALL keeps archived products out, as on Ozon
        stocks = [
            s
            for page in client.product_stocks(product_ids=[p.product_id for p in archived], visibility="ARCHIVED")
            for s in page
        ]
        assert len(stocks) == len(archived)
    finally:
        client.close()

"""Small HTTP helpers for the sandbox's own tests."""

import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.server import OzonSandbox

AUTH = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}
IMPORT, DETAILS, V5, INFO = (
    "/v1/product/import/prices",
    "/v1/product/prices/details",
    "/v5/product/info/prices",
    "/v3/product/info/list",
)
PICTURES_IMPORT, IMPORT_INFO, PICTURES_INFO = (
    "/v2/product/pictures/import",
    "/v1/product/import/info",
    "/v2/product/pictures/info",
)


def post(sandbox: OzonSandbox, path: str, body, headers=AUTH) -> requests.Response:
    return requests.post(sandbox.url + path, json=body, headers=headers, timeout=10)


def active_ids(sandbox: OzonSandbox, count: int) -> list[int]:
    """The first `count` product_ids that are on sale (not archived)."""
    catalog = sandbox.catalog
    return [catalog.product_id_of(i) for i in catalog.active_indices()[:count]]


def v5(sandbox: OzonSandbox, product_id: int) -> dict:
    body = {"cursor": "", "filter": {"product_id": [str(product_id)], "visibility": "ALL"}, "limit": 10}
    return post(sandbox, V5, body).json()["items"][0]["price"]


def info(sandbox: OzonSandbox, product_id: int) -> dict:
    return post(sandbox, INFO, {"product_id": [product_id]}).json()["items"][0]


def customer_price(sandbox: OzonSandbox, sku: int) -> str:
    return post(sandbox, DETAILS, {"skus": [str(sku)]}).json()["prices"][0]["customer_price"]["amount"]


def card_price(sandbox: OzonSandbox, sku: int, seller: str = "demo-seller") -> float:
    page = 1
    while True:
        data = requests.get(f"{sandbox.url}/api/v1/seller/{seller}", params={"page": page}, timeout=10).json()
        for product in data["products"]:
            if product["sku_id"] == str(sku):
                return product["price"]["card_price"]
        if page >= data["pagination"]["total_pages"]:
            raise AssertionError(f"sku {sku} is not on the storefront")
        page += 1

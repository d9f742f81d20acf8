"""Hostile input to every API operation: never a 5xx, always JSON, and a 400 names the field.

The operations come from the served OpenAPI document, and a check below keeps
that document in step with the URL patterns, so a new endpoint is fuzzed too.
Each known field (query parameter, body property, a field inside a list item)
gets each bad value in turn, the rest of the request staying valid.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from ozonprice.models import ApiKey
from ozonprice.services import api_secret_generate
from tests.contract.test_schemathesis import served_schema
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db

SCHEMA = served_schema()
BAD_VALUES = [
    "²",
    "٢٠",
    "２０",
    "2_0",
    "1" * 30,
    2**63,
    10**30,
    -1,
    0,
    None,
    "NaN",
    "Infinity",
    "-Infinity",
    math.nan,
    math.inf,
    True,
    "",
    "0001-01-01",
    "9999-12-31",
    "\x00",
    "x" * 5000,
    [],
    {},
    [{}],
    {"$gt": ""},
    " ".join(["w"] * 1000),
]
# Whole bodies that are not the object an operation expects.
BAD_BODIES = ["", "null", "[]", '[{"sku": 1}]', "{items: [", "NaN", '"text"', "1e999", "\x00", "{" * 5000]
BAD_PATH_IDS = ["²", "٢٠", "1" * 30, str(2**63), "-1", "0"]
PATH_PARAMETER = re.compile(r"<\w+:(\w+)>")  # a URLconf's <ozon_id:key_id>
PATH_NAME = re.compile(r"{(\w+)}")  # the schema's {key_id}


def operations() -> list[tuple[str, str, dict]]:
    return [
        (path, method.upper(), operation)
        for path, methods in SCHEMA["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/api/")
    ]


def api_routes(resolver=None, prefix: str = "") -> set[str]:
    """Every route under /api/ the URLconf has, as schema-style paths ({product_id}, {key_id})."""
    routes = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + PATH_PARAMETER.sub(r"{\1}", str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes |= api_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            routes.add("/" + route)
    return routes


def test_every_api_route_is_in_the_schema_and_so_fuzzed():
    documented = {path for path, _method, _op in operations()}
    assert api_routes() - {"/api/schema/", "/api/docs/", "/api/redoc/"} <= documented


@pytest.fixture
def sku():
    return SkuFactory(sku=5001, offer_id="ART-1", product_id=777, mrpc=None)


def valid_body(operation_id: str, sku) -> dict | None:
    """A request each operation accepts (to change one field of); None: the operation takes no body."""
    return {
        "products_set_mrpc": {"items": [{"sku": "ART-1", "mrpc": "1000"}]},
        "products_set_discount": {"items": [{"sku": "ART-1", "discount": "10"}]},
        "products_update_prices": {"product_ids": [str(sku.product_id)], "dry_run": True},
        "products_fetch_prices": {"product_ids": [str(sku.product_id)]},
        "products_guard_promotions": {"product_ids": [str(sku.product_id)], "dry_run": True},
        "products_update": {"mrpc": "1000", "active": False},
        "settings_update": {"monitoring_interval": 10, "front_price_api_url": "https://front.example/api"},
        "push_images": {"product_id": sku.product_id, "images": ["https://cdn.example/1.jpg"]},
        "keys_create": {"name": "fuzz", "scopes": ["read"], "accounts": [sku.account_id]},
    }.get(operation_id)


def call(method: str, path: str, *, query=None, body: str | None = None):
    # A fresh key each time: generate-secret rotates the key it was called with.
    client = APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})
    if body is None:
        return (
            client.generic(method, path, data=b"", QUERY_STRING=query or "")
            if query
            else getattr(client, method.lower())(path)
        )
    return client.generic(method, path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")


def check(response, *, field_path: tuple = ()) -> None:
    """No 5xx other than the documented upstream ones; JSON; a 400 names `field_path`.

    Error shapes are the documented ones: `{"detail", "errors"}` for most, the
    activation's 409 `{status, message}`, push-images' `{success, errors}`.
    """
    where = f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']} {field_path}"
    assert response.status_code < 500 or response.status_code in (502, 503, 504), where
    assert response["Content-Type"].startswith("application/json"), (where, response.content[:200])
    data = json.loads(response.content)
    if response.status_code == 400 and field_path:
        assert names(data.get("errors"), field_path), (where, data)


def names(errors, field_path: tuple) -> bool:
    """The errors name the field: `{"items": {"0": {"sku": [...]}}}`, or push-images'
    documented list `[{"field": "images", "index": 0, ...}]`."""
    if isinstance(errors, list):
        return any(isinstance(e, dict) and e.get("field") == field_path[0] for e in errors)
    node = errors
    for key in field_path:
        if not (isinstance(node, dict) and str(key) in node):
            return False
        node = node[str(key)]
    return True


def is_json_value(value) -> bool:
    """NaN and Infinity have no JSON spelling: a body holding them is no JSON (a 400 without a field)."""
    return not (isinstance(value, float) and not math.isfinite(value))


def fill(path: str, sku) -> str:
    """The path with each id of a row that exists: the SKU's product, the "default" key (made by `call`)."""
    key_id = ApiKey.objects.filter(name="default").values_list("pk", flat=True).first() or 1
    return path.replace("{product_id}", str(sku.product_id)).replace("{key_id}", str(key_id))


def query_string(name: str, value) -> str:
    from urllib.parse import urlencode

    text = json.dumps(value) if isinstance(value, (list, dict, bool)) or value is None else str(value)
    return urlencode({name: text})


@pytest.fixture
def quiet(settings):
    settings.OZON_MAX_RETRIES = 0  # a blocked Ozon call fails at once
    settings.API_THROTTLE_RATE = "1000000/min"


@pytest.mark.parametrize(("path", "method", "operation"), operations(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_input_breaks_an_operation(path, method, operation, sku, quiet):
    url = fill(path, sku)
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        for value in BAD_VALUES:
            check(call(method, url, query=query_string(parameter["name"], value)), field_path=(parameter["name"],))

    if method in ("POST", "PUT", "PATCH"):
        for text in BAD_BODIES:
            check(call(method, url, body=text))
        check(call(method, url, body=json.dumps({"items": ["x" * 100] * 110_000})))  # ~11 MB
        base = valid_body(operation["operationId"], sku)
        if base is not None:
            for key, original in base.items():
                for value in BAD_VALUES:
                    named = (key,) if is_json_value(value) else ()
                    check(call(method, url, body=json.dumps({**base, key: value})), field_path=named)
                    if isinstance(original, list) and original and isinstance(original[0], dict):
                        for inner in original[0]:
                            item = {**original[0], inner: value}
                            check(
                                call(method, url, body=json.dumps({**base, key: [item]})),
                                field_path=named and (key, 0, inner),
                            )
                check(call(method, url, body=json.dumps({**base, "unknown_field": 1})), field_path=("unknown_field",))

    for parameter in PATH_NAME.findall(path):
        for bad in BAD_PATH_IDS:
            check(call(method, fill(path.replace("{" + parameter + "}", bad), sku)))

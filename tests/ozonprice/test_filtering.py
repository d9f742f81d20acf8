"""The paged lists: django-filter FilterSets through DjangoFilterBackend and one PageNumberPagination subclass."""

import pytest
from django.test import Client
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from auditlog.apis import ApiLogListApi
from catalog.apis import ProductListApi
from ozonprice.services import api_secret_generate
from pricing.apis import PriceHistoryApi

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/products": ({"account", "active", "has_stock", "search"}, ProductListApi),
    "/api/price-history": ({"account", "product_id", "start_date", "end_date"}, PriceHistoryApi),
    "/api/api-logs": ({"account", "start_date", "end_date", "status"}, ApiLogListApi),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


def parameters(schema, path) -> dict:
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("path", LISTS)
def test_each_list_filters_and_pages_through_the_shared_classes(path):
    _, view = LISTS[path]

    assert all(issubclass(backend, DjangoFilterBackend) for backend in view.filter_backends)
    assert view.filterset_class is not None
    assert issubclass(view.pagination_class, PageNumberPagination)


@pytest.mark.parametrize("path", LISTS)
def test_the_schema_lists_each_filter_and_the_paging_parameters(schema, path):
    names, _ = LISTS[path]

    params = parameters(schema, path)

    assert set(params) == names | {"page", "per_page"}
    assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
    assert all(param["description"] for param in params.values())


def test_the_schema_gives_each_filter_its_type_and_bounds(schema):
    products = parameters(schema, "/api/products")
    history = parameters(schema, "/api/price-history")
    logs = parameters(schema, "/api/api-logs")

    assert products["active"]["schema"] == {"type": "boolean", "nullable": True}
    assert products["search"]["schema"]["maxLength"] == 200
    assert history["product_id"]["schema"]["pattern"] == "^[0-9]{1,19}$"
    assert history["start_date"]["schema"] == {"type": "string", "format": "date"}
    assert logs["status"]["schema"]["pattern"].startswith("^(success|error|")


@pytest.mark.parametrize("path", LISTS)
def test_the_page_shape_is_the_specs(schema, path):
    ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert set(page["properties"]) == set(page["required"]) == {"items", "total", "page", "pages"}


@pytest.mark.parametrize("path", LISTS)
def test_the_browsable_api_shows_the_filter_form(admin_user, path):
    names, _ = LISTS[path]
    client = Client()
    client.force_login(admin_user)

    html = client.get(path, HTTP_ACCEPT="text/html").content.decode()

    assert all(f'name="{name}"' in html for name in names)


def test_every_bad_parameter_is_named_in_one_400():
    api = APIClient(headers={"X-API-Key": api_secret_generate()})

    response = api.get("/api/api-logs", {"status": "maybe", "per_page": "0", "start_date": "0001-01-01"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "per_page", "start_date"}


def test_price_history_filters_by_product(api_history):
    api, wanted, _other = api_history

    body = api.get("/api/price-history", {"product_id": str(wanted.sku.product_id)}).json()

    assert [item["id"] for item in body["items"]] == [wanted.id]
    assert body["items"][0]["product_id"] == str(wanted.sku.product_id)
    assert (body["total"], body["page"], body["pages"]) == (1, 1, 1)


@pytest.fixture
def api_history():
    from decimal import Decimal

    from django.utils import timezone

    from pricing.models import PriceHistory, Reason
    from tests.factories import SkuFactory

    wanted, other = (
        PriceHistory.objects.create(
            sku=SkuFactory(),
            timestamp=timezone.now(),
            reason=Reason.API,
            new_price=Decimal("1000"),
        )
        for _ in range(2)
    )
    return APIClient(headers={"X-API-Key": api_secret_generate()}), wanted, other

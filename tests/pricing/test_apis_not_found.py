"""An unknown product on the per-product endpoints: the shared exception handler's 404, one JSON shape."""

import pytest
from rest_framework.test import APIClient

from ozonprice.exceptions import NotFoundError, api_exception_handler
from ozonprice.services import api_secret_generate
from pricing.services.edits import SkuNotFound
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db

UNKNOWN = 9_000_000_999


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", f"/api/products/{UNKNOWN}/activate", None),
        ("post", f"/api/products/{UNKNOWN}/deactivate", None),
        ("put", f"/api/products/{UNKNOWN}", {"active": False}),
    ],
)
def test_an_unknown_product_is_a_json_404_naming_it(api, method, url, body):
    SkuFactory(product_id=9_000_000_001)

    response = getattr(api, method)(url, body, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": f"Unknown product {UNKNOWN}"}


def test_the_shared_handler_answers_a_domain_not_found():
    response = api_exception_handler(SkuNotFound("Unknown product 5"), {})

    assert issubclass(SkuNotFound, NotFoundError)
    assert (response.status_code, response.data) == (404, {"detail": "Unknown product 5"})


def test_the_views_do_not_map_not_found_themselves():
    import inspect

    import pricing.apis

    assert "SkuNotFound" not in inspect.getsource(pricing.apis)

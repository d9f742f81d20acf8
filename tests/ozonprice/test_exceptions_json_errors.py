"""Under /api/ every error answer is JSON, whatever Django itself would have answered, DEBUG on or off."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ozonprice.services import api_secret_generate

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def api(debug):
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def json_body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


@pytest.mark.parametrize("url", ["/api/products/set-mrpc", "/api/settings", "/api/v1/ozon/push-images"])
def test_a_ten_megabyte_body_is_a_json_400_naming_the_body(api, url):
    body = json.dumps({"items": [{"sku": "x" * 100, "mrpc": "1"}] * (TEN_MB // 100)})

    response = api.generic("PUT" if url == "/api/settings" else "POST", url, body, content_type="application/json")

    assert response.status_code == 400
    assert set(json_body(response)["errors"]) == {"body"}


def test_a_path_no_route_matches_is_json(api):
    response = api.get("/api/no-such-thing")

    assert response.status_code == 404 and "detail" in json_body(response)


def test_a_bad_json_body_is_a_json_400(api):
    response = api.generic("POST", "/api/products/set-mrpc", "{items: [", content_type="application/json")

    assert response.status_code == 400 and "detail" in json_body(response)


def test_a_csrf_failure_on_a_session_call_is_json(debug, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post("/api/products/set-mrpc", {"items": []}, content_type="application/json")

    assert response.status_code == 403 and "detail" in json_body(response)


def test_a_bug_under_api_is_a_json_500(debug, monkeypatch):
    from catalog import apis

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(apis, "sku_list_page", broken, raising=False)
    monkeypatch.setattr(apis.ProductListApi, "get", broken)
    client = APIClient(headers={"X-API-Key": api_secret_generate()}, raise_request_exception=False)

    response = client.get("/api/products")

    assert response.status_code == 500 and json_body(response) == {"detail": "Server error."}


def test_pages_outside_api_keep_djangos_html(debug):
    response = Client().get("/no-such-page")

    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


def test_an_action_that_cannot_tell_which_account_is_meant_is_a_400_naming_the_account(api):
    from tests.factories import AccountFactory

    AccountFactory.create_batch(2)  # several accounts and none named

    response = api.post("/api/products/set-mrpc", {"items": [{"sku": "ART-1", "mrpc": "100"}]}, format="json")

    assert response.status_code == 400
    assert set(json_body(response)["errors"]) == {"account"}

"""The core's Prometheus counters: API requests by route and status, timings, outgoing calls by outcome."""

import pytest
import responses
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from ozonprice.clients.ozon import OzonClient
from ozonprice.services import api_secret_generate
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

BASE = "https://api-seller.ozon.ru"


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def secret():
    return api_secret_generate()


def test_api_requests_are_counted_by_route_and_status_and_timed(secret, account):
    api = APIClient(headers={"X-API-Key": secret})
    labels = {"endpoint": "api/products/<ozon_id:product_id>/activate", "method": "POST", "status": "404"}
    before = value("ozonprice_api_requests_total", **labels)
    timed = value("ozonprice_api_request_duration_seconds_count", endpoint=labels["endpoint"])

    api.post("/api/products/12345/activate")
    api.post("/api/products/67890/activate")

    assert value("ozonprice_api_requests_total", **labels) == before + 2
    assert value("ozonprice_api_request_duration_seconds_count", endpoint=labels["endpoint"]) == timed + 2


def test_ozon_calls_are_counted_by_endpoint_and_outcome(no_network):
    ok = {"service": "ozon", "endpoint": "/v3/product/list", "outcome": "success"}
    limited = {**ok, "outcome": "rate_limited"}
    before_ok, before_limited = (
        value("ozonprice_outbound_calls_total", **ok),
        value("ozonprice_outbound_calls_total", **limited),
    )
    no_network.add(responses.POST, BASE + "/v3/product/list", json=load_fixture("error_429_rate_limit"), status=429)
    no_network.add(responses.POST, BASE + "/v3/product/list", json=load_fixture("product_list_empty"))
    client = OzonClient(base_url=BASE, client_id="1", api_key="k", rate_limit=0, sleep=lambda _: None)

    list(client.product_list_pages())

    assert value("ozonprice_outbound_calls_total", **ok) == before_ok + 1
    assert value("ozonprice_outbound_calls_total", **limited) == before_limited + 1

"""The Ozon client the promotion and discount-request client tests share (a file's own `client` replaces it)."""

import pytest

from ozonprice.clients.http import RetryPolicy
from ozonprice.clients.ozon import OzonClient

BASE = "https://api-seller.ozon.ru"


@pytest.fixture
def client():
    client = OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key="secret-key-xyz",
        rate_limit=0,
        retry=RetryPolicy(max_retries=2),
        sleep=lambda s: None,
    )
    yield client
    client.close()

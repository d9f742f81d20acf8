"""What the image-push service and step tests share: a fake clock, the scripted pictures API, a client without retries."""

import pytest

from ozonprice.clients.http import RetryPolicy
from ozonprice.clients.ozon import OzonClient
from tests.factories import SkuFactory
from tests.fakes.pictures import BASE, Clock, FakePictures

OLD = ["https://cdn.ozon.example/old/1.jpg", "https://cdn.ozon.example/old/2.jpg"]
NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg", "https://r2.com/img3.jpg"]
COLOR = "https://r2.com/color.jpg"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ozon(no_network):
    fake = FakePictures()
    fake.add(111, "ART-111", OLD)
    return fake.install(no_network)


@pytest.fixture
def client(clock):
    # No retries in the seam: these tests drive the push's own waiting.
    client = OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key="stored-key-0",
        rate_limit=0,
        retry=RetryPolicy(max_retries=0),
        sleep=clock.sleep,
    )
    yield client
    client.close()


@pytest.fixture
def sku():
    return SkuFactory(product_id=111, offer_id="ART-111", images=OLD, primary_image=OLD[0])

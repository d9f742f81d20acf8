"""Image push over real HTTP: the API → the real Ozon client → the sandbox's pictures routes."""

import json

import pytest
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.services import image_push_submit
from ozonprice.services import api_secret_generate

pytestmark = pytest.mark.e2e

URL = "/api/v1/ozon/push-images"
NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]
SMALL = [{"products": 20, "pictures_delay_s": 0.2}]


@pytest.fixture
def api(db):
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def on_sale(sandbox, n=0) -> int:
    catalog = sandbox.catalog
    return catalog.product_id_of(catalog.active_indices()[n])


@pytest.mark.parametrize("ozon_sandbox", SMALL, indirect=True)
def test_the_seed_request_replaces_the_pictures_and_answers_what_ozon_holds(api, sandbox_account):
    product_id = on_sale(sandbox_account)
    credential = {"client_id": sandbox_account.client_id, "api_key": sandbox_account.api_key}

    response = api.post(URL, {"credential": credential, "product_id": product_id, "images": NEW}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    held = sandbox_account.product(product_id)
    assert body == {
        "success": True,
        "data": {
            "product_id": product_id,
            "updated": {"images": 2, "images360": 0, "color_image": False},
            "current_images": list(held.images),
        },
    }
    assert list(held.images) == NEW
    assert held.primary_image == NEW[0]  # the first image is the main one
    assert sandbox_account.picture_imports == [[{"offer_id": held.offer_id, "images": NEW}]]
    push = ImagePush.objects.get()
    assert push.status == PushStatus.IMPORTED and push.offer_id == held.offer_id and push.sku is None


@pytest.mark.parametrize("ozon_sandbox", SMALL, indirect=True)
def test_a_catalogue_sku_is_pushed_with_stored_credentials_and_its_images_follow(api, sandbox_account):
    assert sku_sync_all().ok
    product_id = on_sale(sandbox_account, 1)
    color = "https://r2.com/color.jpg"

    response = api.post(URL, {"product_id": product_id, "images": NEW, "color_image": color}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["updated"]["color_image"] is True
    assert sandbox_account.product(product_id).color_image == color
    sku = Sku.objects.get(product_id=product_id)
    assert (sku.images, sku.primary_image, sku.color_image) == (NEW, NEW[0], color)
    assert ImagePush.objects.get().sku == sku


@pytest.mark.parametrize("ozon_sandbox", SMALL, indirect=True)
def test_a_picture_ozon_cannot_download_fails_the_push_and_the_old_pictures_stay(api, sandbox_account):
    product_id = on_sale(sandbox_account)
    before = list(sandbox_account.product(product_id).images)

    response = api.post(URL, {"product_id": product_id, "images": [NEW[0], "https://img.invalid/2.jpg"]}, format="json")

    assert response.status_code == 502
    assert response.json()["success"] is False
    assert "https://img.invalid/2.jpg" in response.json()["error"]
    assert list(sandbox_account.product(product_id).images) == before
    push = ImagePush.objects.get()
    assert push.status == PushStatus.FAILED and push.current_images == before


@pytest.mark.parametrize("ozon_sandbox", SMALL, indirect=True)
def test_a_product_the_account_does_not_have_is_404(api, sandbox_account):
    response = api.post(URL, {"product_id": 1, "images": NEW}, format="json")

    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Ozon API error: product 1 not found on Ozon"}


@pytest.mark.parametrize("ozon_sandbox", SMALL, indirect=True)
def test_a_wrong_supplied_key_is_an_ozon_error_and_is_never_logged(api, sandbox_account):
    key = "wrong-imagestudio-key-77aa"
    body = {
        "credential": {"client_id": sandbox_account.client_id, "api_key": key},
        "product_id": on_sale(sandbox_account),
        "images": NEW,
    }

    response = api.post(URL, body, format="json")

    assert response.status_code == 502
    assert response.json()["error"].startswith("Ozon API error: ozon 40")
    stored = json.dumps([list(ApiLogEntry.objects.values()), list(ImagePush.objects.values())], default=str)
    assert ApiLogEntry.objects.filter(direction="out").exists()
    assert key not in stored and key not in response.content.decode()


def test_the_per_minute_quota_is_waited_out_as_item_retry_after_says(make_sandbox, sandbox_clock, settings, db):
    sandbox = make_sandbox(products=10, pictures_delay_s=0, pictures_per_minute=1, clock=sandbox_clock)
    settings.OZON_API_URL = sandbox.url
    settings.OZON_MAX_RETRIES = 0  # the service, not the seam, waits here
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        sandbox_clock.advance(seconds)

    def push(product_id):
        return image_push_submit(
            data={
                "product_id": product_id,
                "images": NEW,
                "credential": {"client_id": sandbox.client_id, "api_key": sandbox.api_key},
            },
            source=PushSource.COMMAND,
            wait_s=120,
            sleep=sleep,
            clock=sandbox_clock,
        )

    assert push(on_sale(sandbox, 0)).ok
    second = push(on_sale(sandbox, 1))

    assert second.ok, second.push.error
    assert waits[0] == 60  # Item-Retry-After: 1 (minute)
    assert len(sandbox.picture_imports) == 2

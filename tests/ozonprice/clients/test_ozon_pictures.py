"""The pictures methods of the Ozon client: v2 import, task info, v2 pictures info (docs/ozon-api.md §5).

Translates the seed plan's client tests (payload building, limits, no empty
fields) to Ozon's current API, plus the write/429 behaviour of the seam.
"""

import json

import pytest
import requests  # noqa: TID251 - tests drive the seam with requests' own exceptions
import responses
from responses import matchers

from auditlog.models import ApiLogEntry
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient, OzonResponseError
from ozonprice.clients.ozon_pictures import ProductPictures, picture_item
from tests.fakes.pictures import BASE, IMPORT_INFO, PICTURES_IMPORT, PICTURES_INFO, QUOTA_429, item_error

pytestmark = pytest.mark.django_db

API_KEY = "secret-key-xyz-0123"
IMAGES = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    client = OzonClient(base_url=BASE, client_id="123456", api_key=API_KEY, rate_limit=0, sleep=sleeps.append)
    yield client
    client.close()


# --- payload building (seed: test_update_product_pictures_builds_correct_payload) -----------
def test_pictures_import_posts_items_keyed_by_offer_id_and_answers_the_task_id(no_network, client):
    item = picture_item(offer_id="ART-1", images=IMAGES, color_image="https://r2.com/color.jpg")
    no_network.add(
        responses.POST,
        BASE + PICTURES_IMPORT,
        json={"task_id": 7000001},
        match=[
            matchers.json_params_matcher(
                {"items": [{"offer_id": "ART-1", "images": IMAGES, "color_image": "https://r2.com/color.jpg"}]}
            )
        ],
    )

    assert client.pictures_import([item]) == 7000001


def test_a_picture_item_never_carries_images360_or_product_id():
    item = picture_item(offer_id="ART-1", images=IMAGES, primary_image=IMAGES[1], color_image=IMAGES[0])

    assert item == {"offer_id": "ART-1", "images": IMAGES, "primary_image": IMAGES[1], "color_image": IMAGES[0]}


# --- seed: test_update_product_pictures_omits_none_values ------------------------------------
@pytest.mark.parametrize("empty", [None, ""])
def test_a_picture_item_leaves_out_an_empty_primary_and_color_image(empty):
    item = picture_item(offer_id="ART-1", images=IMAGES, primary_image=empty, color_image=empty)

    assert item == {"offer_id": "ART-1", "images": IMAGES}


# --- seed: test_update_product_pictures_truncates_arrays (now: refuse, never cut) ------------
def test_the_client_refuses_more_than_100_items_per_import_and_sends_nothing(no_network, client):
    items = [picture_item(offer_id=f"ART-{i}", images=IMAGES) for i in range(101)]

    with pytest.raises(ValueError, match="at most 100"):
        client.pictures_import(items)
    assert len(no_network.calls) == 0


def test_the_client_refuses_an_empty_import(client):
    with pytest.raises(ValueError):
        client.pictures_import([])


def test_the_client_refuses_more_than_1000_ids_for_pictures_info(client):
    with pytest.raises(ValueError, match="at most 1000"):
        client.pictures_info(list(range(1001)))


def test_pictures_info_of_no_products_makes_no_call(no_network, client):
    assert client.pictures_info([]) == {}
    assert len(no_network.calls) == 0


# --- a write: never re-sent after a 5xx or a timeout ------------------------------------
def test_an_import_answered_500_is_not_sent_again(no_network, client):
    no_network.add(responses.POST, BASE + PICTURES_IMPORT, status=500, json={"code": 13, "message": "Internal error"})

    with pytest.raises(ApiError) as caught:
        client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)])

    assert len(no_network.calls) == 1
    assert caught.value.status == 500 and not caught.value.permanent


def test_an_import_that_timed_out_is_not_sent_again_and_its_outcome_is_unknown(no_network, client):
    no_network.add(responses.POST, BASE + PICTURES_IMPORT, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(ApiError) as caught:
        client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)])

    assert len(no_network.calls) == 1
    assert caught.value.outcome_unknown


# --- 429 with Item-Retry-After (minutes) -------------------------------------------------
def test_item_retry_after_is_read_as_minutes_and_the_refused_import_is_sent_again(no_network, client, sleeps):
    no_network.add(
        responses.POST, BASE + PICTURES_IMPORT, status=429, json=QUOTA_429, headers={"Item-Retry-After": "1"}
    )
    no_network.add(responses.POST, BASE + PICTURES_IMPORT, json={"task_id": 7000002})

    assert client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)]) == 7000002
    assert sleeps == [60.0]  # 1 minute, not 1 second


def test_a_quota_that_stays_used_up_raises_with_the_wait_in_seconds(no_network, client, sleeps):
    client.http.retry.max_retries = 1
    for _ in range(2):
        no_network.add(
            responses.POST, BASE + PICTURES_IMPORT, status=429, json=QUOTA_429, headers={"Item-Retry-After": "3"}
        )

    with pytest.raises(ApiError) as caught:
        client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)])

    assert caught.value.status == 429
    assert caught.value.retry_after == 180.0
    assert "operation items limits" in caught.value.message


def test_retry_after_in_seconds_wins_over_item_retry_after(no_network, client):
    client.http.retry.max_retries = 0
    no_network.add(
        responses.POST,
        BASE + PICTURES_IMPORT,
        status=429,
        json=QUOTA_429,
        headers={"Retry-After": "7", "Item-Retry-After": "3"},
    )

    with pytest.raises(ApiError) as caught:
        client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)])

    assert caught.value.retry_after == 7.0


# --- reading the task and the pictures ----------------------------------------------------
def test_import_info_reads_each_item_with_its_errors(no_network, client):
    error = item_error("image_download_failed", "failed to download image https://x.invalid/1.jpg")
    no_network.add(
        responses.POST,
        BASE + IMPORT_INFO,
        json={
            "result": {
                "items": [
                    {"offer_id": "ART-1", "product_id": 11, "status": "imported", "errors": []},
                    {"offer_id": "ART-2", "product_id": 12, "status": "failed", "errors": [error]},
                    {"offer_id": "ART-3", "product_id": 13, "status": "pending", "errors": []},
                ],
                "total": 3,
            }
        },
        match=[matchers.json_params_matcher({"task_id": 7000001})],
    )

    items = client.import_info(7000001)

    assert [(i.offer_id, i.product_id, i.status, i.done) for i in items] == [
        ("ART-1", 11, "imported", True),
        ("ART-2", 12, "failed", True),
        ("ART-3", 13, "pending", False),
    ]
    assert items[1].errors == [
        {
            "code": "image_download_failed",
            "message": "failed to download image https://x.invalid/1.jpg",
            "field": "images",
            "description": "failed to download image https://x.invalid/1.jpg",
        }
    ]


def test_a_task_answer_without_items_is_a_malformed_response(no_network, client):
    no_network.add(responses.POST, BASE + IMPORT_INFO, json={"result": {}})

    with pytest.raises(OzonResponseError, match="malformed response on /v1/product/import/info"):
        client.import_info(7000001)


def test_pictures_info_gives_every_picture_main_first_by_product_id(no_network, client):
    no_network.add(
        responses.POST,
        BASE + PICTURES_INFO,
        json={
            "items": [
                {
                    "product_id": 11,
                    "primary_photo": [IMAGES[1]],
                    "photo": IMAGES,
                    "color_photo": ["https://r2.com/color.jpg"],
                    "errors": [],
                }
            ]
        },
        match=[matchers.json_params_matcher({"product_id": ["11", "12"]})],
    )

    held = client.pictures_info([11, 12])

    assert set(held) == {11}  # Ozon leaves out products it does not know
    assert held[11].images == [IMAGES[1], IMAGES[0]]
    assert held[11].color_image == "https://r2.com/color.jpg"


def test_pictures_without_a_primary_photo_keep_ozon_order():
    pictures = ProductPictures(product_id=1, primary=[], photos=IMAGES, color=[])

    assert pictures.images == IMAGES and pictures.color_image == ""


def test_the_api_key_never_reaches_the_audit_log(no_network, client):
    no_network.add(
        responses.POST, BASE + PICTURES_IMPORT, status=403, json={"code": 7, "message": f"bad key {API_KEY}"}
    )

    with pytest.raises(ApiError) as caught:
        client.pictures_import([picture_item(offer_id="ART-1", images=IMAGES)])

    assert API_KEY not in str(caught.value)
    stored = json.dumps(list(ApiLogEntry.objects.values()), default=str)
    assert "/v2/product/pictures/import" in stored
    assert API_KEY not in stored

"""Pictures over HTTP: v2 import (full replace), the task, pictures/info, the quota, refusals."""

import time

import pytest

from ozonprice.sandbox.pictures_api import unreachable
from tests.ozonprice.sandbox.helpers import IMPORT_INFO, PICTURES_IMPORT, PICTURES_INFO, active_ids, info, post

pytestmark = pytest.mark.e2e

GOOD = [f"https://images.example.com/shop/{n}.jpg" for n in range(1, 4)]
ERROR_FIELDS = {"code", "message", "state", "level", "description", "field", "attribute_id", "attribute_name"}


def offer(sandbox, product_id):
    return sandbox.product(product_id).offer_id


def start(sandbox, items):
    answer = post(sandbox, PICTURES_IMPORT, {"items": items})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert set(data) == {"task_id"} and isinstance(data["task_id"], int)
    return data["task_id"]


def task(sandbox, task_id):
    answer = post(sandbox, IMPORT_INFO, {"task_id": task_id})
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert result["total"] == len(result["items"])
    return result["items"]


def pictures(sandbox, product_id):
    items = post(sandbox, PICTURES_INFO, {"product_id": [str(product_id)]}).json()["items"]
    return items[0]


@pytest.fixture
def sandbox(make_sandbox, clock):
    return make_sandbox(products=50, pictures_delay_s=5, clock=clock)


def test_an_import_replaces_every_picture_once_the_task_is_done(sandbox, clock):
    (product_id,) = active_ids(sandbox, 1)
    before = sandbox.product(product_id)
    task_id = start(sandbox, [{"offer_id": before.offer_id, "images": GOOD, "color_image": GOOD[0]}])
    assert task(sandbox, task_id) == [
        {"offer_id": before.offer_id, "product_id": product_id, "status": "pending", "errors": []}
    ]
    assert sandbox.product(product_id).images == before.images  # nothing changes while pending

    clock.advance(5)
    assert task(sandbox, task_id)[0]["status"] == "imported"
    assert pictures(sandbox, product_id) == {
        "product_id": product_id,
        "primary_photo": [GOOD[0]],
        "photo": GOOD,
        "color_photo": [GOOD[0]],
        "errors": [],
    }
    item = info(sandbox, product_id)
    assert (item["images"], item["primary_image"], item["color_image"]) == (GOOD, [GOOD[0]], [GOOD[0]])

    # Full replace: the next import's pictures are all there is; no color_image clears it.
    task_id = start(sandbox, [{"offer_id": before.offer_id, "images": GOOD[1:], "primary_image": GOOD[2]}])
    clock.advance(5)
    assert task(sandbox, task_id)[0]["status"] == "imported"
    held = pictures(sandbox, product_id)
    assert held["primary_photo"] == [GOOD[2]] and held["photo"] == [GOOD[2], GOOD[1]] and held["color_photo"] == []
    assert info(sandbox, product_id)["images"] == [GOOD[2], GOOD[1]]
    assert sandbox.picture_imports[-1][0]["primary_image"] == GOOD[2]


def test_the_same_pictures_again_are_skipped(sandbox, clock):
    (product_id,) = active_ids(sandbox, 1)
    product = sandbox.product(product_id)
    task_id = start(
        sandbox, [{"offer_id": product.offer_id, "images": list(product.images), "color_image": product.color_image}]
    )
    clock.advance(5)
    assert task(sandbox, task_id)[0]["status"] == "skipped"


def test_unreachable_urls_fail_and_the_product_keeps_its_pictures(sandbox, clock):
    first, second = active_ids(sandbox, 2)
    before = sandbox.product(first)
    bad = "https://broken-cdn.invalid/a.jpg"
    task_id = start(
        sandbox,
        [
            {"offer_id": before.offer_id, "images": [GOOD[0], bad]},
            {"offer_id": offer(sandbox, second), "images": GOOD},
            {"offer_id": "NO-SUCH-OFFER", "images": GOOD},
        ],
    )
    clock.advance(5)
    failed, imported, unknown = task(sandbox, task_id)
    assert (failed["status"], imported["status"], unknown["status"]) == ("failed", "imported", "failed")
    assert [set(e) for e in failed["errors"]] == [ERROR_FIELDS]
    assert bad in failed["errors"][0]["message"] and failed["errors"][0]["field"] == "images"
    assert unknown["product_id"] == 0 and unknown["errors"][0]["code"] == "NOT_FOUND_ERROR"
    assert sandbox.product(first).images == before.images
    held = pictures(sandbox, first)
    assert held["photo"] == list(before.images)
    assert held["errors"] == [{"message": f"failed to download image {bad}", "url": bad}]
    # A later successful import clears the errors.
    task_id = start(sandbox, [{"offer_id": before.offer_id, "images": GOOD}])
    clock.advance(5)
    assert task(sandbox, task_id)[0]["status"] == "imported" and pictures(sandbox, first)["errors"] == []


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("https://images.example.com/a.jpg", False),
        ("http://images.example.com/a.png", False),
        ("https://cdn.sandbox.invalid/img/ART-000001/1.jpg", False),  # the demo pictures' "Ozon CDN"
        ("https://x.invalid/a.jpg", True),
        ("http://localhost:8000/a.jpg", True),
        ("http://127.0.0.1/a.jpg", True),
        ("ftp://images.example.com/a.jpg", True),
        ("file:///tmp/a.jpg", True),
        ("images.example.com/a.jpg", True),
    ],
)
def test_which_urls_count_as_unreachable(url, bad):
    assert unreachable(url) is bad


def test_the_per_minute_quota_answers_429_with_item_headers(make_sandbox, clock):
    sandbox = make_sandbox(products=100, pictures_per_minute=10, pictures_delay_s=0, clock=clock)
    offers = [offer(sandbox, pid) for pid in active_ids(sandbox, 11)]
    start(sandbox, [{"offer_id": o, "images": GOOD} for o in offers[:8]])
    clock.advance(20)
    limited = post(sandbox, PICTURES_IMPORT, {"items": [{"offer_id": o, "images": GOOD} for o in offers[:3]]})
    assert limited.status_code == 429
    assert limited.json()["code"] == "RESOURCE_EXHAUSTED"
    assert limited.json()["message"] == (
        "You have reached operation items limits. Retry after 40 seconds. Remaining 2 items"
    )
    assert limited.headers["Item-Retry-After"] == "1" and limited.headers["Item-Rate-Limit-Remaining"] == "2"
    start(sandbox, [{"offer_id": o, "images": GOOD} for o in offers[8:10]])  # the 2 left still pass
    exhausted = post(sandbox, PICTURES_IMPORT, {"items": [{"offer_id": offers[10], "images": GOOD}]})
    assert exhausted.status_code == 429 and exhausted.headers["Item-Rate-Limit-Remaining"] == "0"
    assert exhausted.json()["message"].endswith("Retry after 40 seconds. Remaining 0 items")
    assert len(sandbox.picture_imports) == 2  # refused batches are not imports
    clock.advance(40)
    start(sandbox, [{"offer_id": o, "images": GOOD} for o in offers[:8]])


def test_a_fresh_sandbox_with_a_spent_quota_says_retry_after_60_seconds(make_sandbox, clock):
    sandbox = make_sandbox(products=5, pictures_per_minute=1, clock=clock)
    (product_id,) = active_ids(sandbox, 1)
    start(sandbox, [{"offer_id": offer(sandbox, product_id), "images": GOOD}])
    limited = post(sandbox, PICTURES_IMPORT, {"items": [{"offer_id": offer(sandbox, product_id), "images": GOOD}]})
    assert limited.status_code == 429
    assert limited.json() == {
        "code": "RESOURCE_EXHAUSTED",
        "message": "You have reached operation items limits. Retry after 60 seconds. Remaining 0 items",
        "details": [],
    }
    assert (limited.headers["Item-Retry-After"], limited.headers["Item-Rate-Limit-Remaining"]) == ("1", "0")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"items": [{"offer_id": "ART-000001", "images": GOOD}] * 101}, "at most 100"),
        ({"items": [{"offer_id": "ART-000001", "images": GOOD, "images360": []}]}, "images360"),
        ({"items": [{"offer_id": "ART-000001", "images": GOOD}], "images360": GOOD}, "images360"),
        ({"items": []}, "items"),
        ({}, "items"),
        ({"items": [{"images": GOOD}]}, "offer_id"),
        ({"items": [{"offer_id": "ART-000001"}]}, "at least one image"),
        ({"items": [{"offer_id": "ART-000001", "images": [f"https://e.com/{n}.jpg" for n in range(51)]}]}, "50"),
        ({"items": [{"offer_id": "ART-000001", "images": "https://e.com/1.jpg"}]}, "images"),
    ],
)
def test_bad_imports_answer_400(sandbox, body, words):
    answer = post(sandbox, PICTURES_IMPORT, body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == 3 and words in error["message"] and error["details"] == []
    assert sandbox.picture_imports == []


def test_fifty_images_are_allowed(sandbox, clock):
    (product_id,) = active_ids(sandbox, 1)
    images = [f"https://images.example.com/{n}.jpg" for n in range(50)]
    task_id = start(sandbox, [{"offer_id": offer(sandbox, product_id), "images": images}])
    clock.advance(5)
    assert task(sandbox, task_id)[0]["status"] == "imported" and pictures(sandbox, product_id)["photo"] == images


def test_task_and_info_requests_are_checked(sandbox):
    assert post(sandbox, IMPORT_INFO, {"task_id": 123}).status_code == 404
    assert post(sandbox, IMPORT_INFO, {}).status_code == 400
    assert post(sandbox, IMPORT_INFO, {"task_id": "x"}).status_code == 400
    assert post(sandbox, PICTURES_INFO, {"product_id": []}).status_code == 400
    assert post(sandbox, PICTURES_INFO, {"product_id": [str(n) for n in range(1001)]}).status_code == 400
    assert post(sandbox, PICTURES_INFO, {"product_id": ["100999999"]}).json() == {"items": []}


def test_tasks_finish_on_real_time_by_default(make_sandbox):
    sandbox = make_sandbox(products=5, pictures_delay_s=0.2)
    (product_id,) = active_ids(sandbox, 1)
    task_id = start(sandbox, [{"offer_id": offer(sandbox, product_id), "images": GOOD}])
    assert task(sandbox, task_id)[0]["status"] == "pending"
    time.sleep(0.25)
    assert task(sandbox, task_id)[0]["status"] == "imported"

"""SSRF in push-images: Ozon fetches every picture, so a picture may not name a private host."""

import pytest
from rest_framework.test import APIClient

from imagepush.models import ImagePush
from imagepush.validation import image_push_validate
from ozonprice.services import api_secret_generate
from tests.ozonprice.ssrf import PRIVATE_URLS

VALID = {"product_id": 123456, "images": ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]}


def check(**fields):
    return image_push_validate(data={**VALID, **fields}, images_limit=30)


@pytest.mark.parametrize("base", PRIVATE_URLS)
def test_a_picture_on_a_private_host_is_refused_naming_its_index(refuse_private, dns, base):
    url = base + "a.jpg"

    errors = check(images=["https://r2.com/img1.jpg", url]).errors

    assert [(e["field"], e["index"], e["url"]) for e in errors] == [("images", 1, url)]
    assert "private" in errors[0]["reason"] or "local" in errors[0]["reason"]
    assert dns.asked == []  # Ozon resolves the name, not us: no DNS here


def test_the_color_image_is_checked_too(refuse_private):
    errors = check(color_image="http://169.254.169.254/latest/meta-data/iam").errors

    assert [(e["field"], e["index"]) for e in errors] == [("color_image", None)]
    assert "metadata" in errors[0]["reason"]


def test_the_primary_image_is_checked_too(refuse_private):
    assert [e["field"] for e in check(primary_image="http://[::1]/a.jpg").errors] == ["primary_image"]


def test_a_name_is_not_resolved_so_a_public_looking_name_passes(refuse_private, dns):
    dns.set("cdn.example.com", ["10.0.0.1"])

    assert check(images=["https://cdn.example.com/a.jpg"]).ok
    assert dns.asked == []


def test_the_switch_allows_loopback_pictures_for_the_demo():
    assert check(images=["http://127.0.0.1:8001/a.jpg"]).ok


@pytest.mark.django_db
def test_the_api_answers_400_naming_the_image(refuse_private, no_network):
    api = APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})
    body = {"product_id": 123456, "images": ["https://r2.com/1.jpg", "http://2130706433/2.jpg"]}

    response = api.post("/api/v1/ozon/push-images", body, format="json")

    assert response.status_code == 400
    assert [(e["field"], e["index"], e["url"]) for e in response.json()["errors"]] == [
        ("images", 1, "http://2130706433/2.jpg")
    ]
    assert ImagePush.objects.count() == 1 and len(no_network.calls) == 0

"""The push API's documented shapes: the request's checks name the field, the success body is built as documented.

The body itself is checked by imagepush.validation (tests/imagepush/test_validation.py); the serializers here
document it in the OpenAPI schema, so they must agree with what is sent and answered.
"""

import pytest

from imagepush.models import ImagePush
from imagepush.serializers import (
    PushImagesErrorSerializer,
    PushImagesInvalidSerializer,
    PushImagesRequestSerializer,
    PushImagesSuccessSerializer,
    push_images_success,
)

SEED = {"product_id": 123456, "images": ["https://r2.com/img1.jpg"], "color_image": "https://r2.com/color.jpg"}


def errors_of(data):
    serializer = PushImagesRequestSerializer(data=data)
    assert not serializer.is_valid()
    return serializer.errors


def test_the_seed_request_is_valid_with_or_without_a_credential():
    assert PushImagesRequestSerializer(data=SEED).is_valid()
    with_key = {**SEED, "credential": {"client_id": "123", "api_key": "k"}, "images360": []}
    assert PushImagesRequestSerializer(data=with_key).is_valid()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"product_id": 0}, "product_id"),
        ({"product_id": "abc"}, "product_id"),
        ({"images": []}, "images"),
        ({"images": ["ftp://x/1.jpg"]}, "images"),
        ({"images360": ["https://r2.com/360.jpg"]}, "images360"),
        ({"color_image": "not a url"}, "color_image"),
        ({"credential": {"client_id": "123"}}, "credential"),
    ],
)
def test_each_bad_field_is_an_error_naming_that_field(change, field):
    assert set(errors_of({**SEED, **change})) == {field}


def test_a_credential_without_its_key_names_the_missing_part():
    assert set(errors_of({**SEED, "credential": {"client_id": "123"}})["credential"]) == {"api_key"}


def test_the_success_body_counts_what_was_sent_and_lists_what_ozon_holds():
    current = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]
    push = ImagePush(
        product_id=123456, images=["url1", "url2", "url3"], color_image="color_url", current_images=current
    )

    result = push_images_success(push)

    assert result["success"] is True
    assert result["data"]["product_id"] == 123456
    assert result["data"]["updated"] == {"images": 3, "images360": 0, "color_image": True}
    assert result["data"]["current_images"] == current


def test_the_success_body_without_a_color_image():
    push = ImagePush(product_id=1, images=["u"], color_image="", current_images=["u"])

    assert push_images_success(push)["data"]["updated"]["color_image"] is False


def test_the_success_body_has_the_documented_shape():
    push = ImagePush(product_id=7, images=["u1", "u2"], color_image="c", current_images=["u1", "u2"])

    documented = PushImagesSuccessSerializer(data=push_images_success(push))

    assert documented.is_valid(), documented.errors
    assert documented.validated_data["data"]["updated"] == {"images": 2, "images360": 0, "color_image": True}


def test_the_invalid_and_error_bodies_document_what_the_api_answers():
    problem = {"field": "images", "index": 1, "url": "ftp://x/1.jpg", "reason": "Invalid URL format"}

    assert PushImagesInvalidSerializer(data={"success": False, "errors": [problem]}).is_valid()
    assert not PushImagesInvalidSerializer(data={"success": False, "errors": [{"field": "images"}]}).is_valid()
    assert PushImagesErrorSerializer(data={"success": False, "error": "Ozon API error: x"}).is_valid()

"""Checking a push before anything reaches Ozon: one `{field, index, url, reason}` entry per problem.

Translates the seed plan's `_validate` tests (bad URLs, exceeded limits, valid
input) to SPEC §6: the images limit is a setting, 360° images are refused.
"""

import pytest

from imagepush.validation import INVALID_URL, NO_360, PushRequest, image_push_validate

LIMIT = 30
VALID = {"product_id": 123456, "images": ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]}


def check(limit=LIMIT, **fields):
    return image_push_validate(data={**VALID, **fields}, images_limit=limit)


# --- seed: test_validate_rejects_invalid_url_format ----------------------------------------
def test_each_url_that_is_not_http_or_https_is_one_entry_with_its_index():
    result = check(images=["https://valid.com/img.jpg", "invalid-url", "ftp://bad.com/img.jpg"])

    assert result.errors == [
        {"field": "images", "index": 1, "url": "invalid-url", "reason": INVALID_URL},
        {"field": "images", "index": 2, "url": "ftp://bad.com/img.jpg", "reason": INVALID_URL},
    ]
    assert INVALID_URL == "Invalid URL format"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://",
        "http:///path.jpg",
        "//r2.com/a.jpg",
        "r2.com/a.jpg",
        " https://r2.com/a.jpg",
        "https://r2.com/a b.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "https://[::1/a.jpg",
    ],
)
def test_urls_ozon_could_not_download_are_refused(url):
    assert check(images=[url]).errors == [{"field": "images", "index": 0, "url": url, "reason": INVALID_URL}]


def test_uppercase_schemes_are_urls_too():
    assert check(images=["HTTPS://R2.COM/A.JPG", "http://r2.com/b.jpg"]).ok


# --- non-string items (the seed reports them as invalid URLs, keeping the index) -------------
def test_non_string_items_are_invalid_urls_at_their_index():
    result = check(images=["https://r2.com/1.jpg", 123, None, {"url": "https://r2.com/2.jpg"}])

    assert result.errors == [
        {"field": "images", "index": 1, "url": "123", "reason": INVALID_URL},
        {"field": "images", "index": 2, "url": None, "reason": INVALID_URL},
        {"field": "images", "index": 3, "url": "{'url': 'https://r2.com/2.jpg'}", "reason": INVALID_URL},
    ]
    assert result.images == ["https://r2.com/1.jpg"]


def test_images_that_are_not_a_list_are_one_entry():
    assert check(images="https://r2.com/1.jpg").errors == [
        {"field": "images", "index": None, "url": None, "reason": "Must be a list of URLs"}
    ]


@pytest.mark.parametrize("images", [None, []])
def test_at_least_one_image_is_required(images):
    (entry,) = check(images=images).errors

    assert entry["field"] == "images" and entry["index"] is None
    assert "At least one image" in entry["reason"]


def test_a_repeated_url_is_refused_because_ozon_would_keep_it_once():
    assert check(images=["https://r2.com/1.jpg", "https://r2.com/1.jpg"]).errors == [
        {
            "field": "images",
            "index": 1,
            "url": "https://r2.com/1.jpg",
            "reason": "Duplicate URL: Ozon would keep it once",
        }
    ]


# --- seed: test_validate_rejects_exceeded_limits --------------------------------------------
def test_too_many_images_and_any_360_image_are_one_entry_each():
    images_35 = [f"https://r2.com/img{i}.jpg" for i in range(35)]
    images360_75 = [f"https://r2.com/360_{i}.jpg" for i in range(75)]

    result = check(images=images_35, images360=images360_75)

    assert result.errors == [
        {"field": "images", "index": None, "url": None, "reason": "Exceeds limit (30)"},
        {"field": "images360", "index": None, "url": None, "reason": NO_360},
    ]


def test_the_images_limit_is_the_configured_one():
    images = [f"https://r2.com/img{i}.jpg" for i in range(31)]

    assert check(images=images, limit=50).ok
    assert check(images=images[:30], limit=30).ok
    assert check(images=images, limit=30).errors[0]["reason"] == "Exceeds limit (30)"


def test_a_single_360_image_is_refused_with_a_reason_naming_ozons_removal():
    (entry,) = check(images360=["https://r2.com/360_1.jpg"]).errors

    assert entry["field"] == "images360"
    assert "360° images are no longer supported" in entry["reason"] and "10 Jul 2026" in entry["reason"]


@pytest.mark.parametrize("images360", [None, []])
def test_an_empty_or_absent_images360_is_fine(images360):
    assert check(images360=images360).ok


# --- seed: test_validate_passes_with_valid_input --------------------------------------------
def test_valid_input_has_no_errors_and_gives_the_request():
    result = check(color_image="https://r2.com/color.jpg", images360=[])

    assert result.errors == []
    assert result.request == PushRequest(
        product_id=123456, images=tuple(VALID["images"]), color_image="https://r2.com/color.jpg"
    )
    assert result.request.main_image == "https://r2.com/img1.jpg"


def test_an_invalid_push_has_no_request():
    with pytest.raises(ValueError):
        _ = check(images=["nope"]).request


# --- product_id (seed: test_push_images_validates_product_id) --------------------------------
@pytest.mark.parametrize("product_id", [-1, 0, 1.5, "abc", True, 2**63, [1]])
def test_product_id_must_be_a_positive_integer(product_id):
    assert check(product_id=product_id).errors == [
        {"field": "product_id", "index": None, "url": None, "reason": "Must be a positive integer (Ozon's product_id)"}
    ]


def test_a_missing_product_id_is_required():
    assert image_push_validate(data={"images": VALID["images"]}, images_limit=LIMIT).errors == [
        {"field": "product_id", "index": None, "url": None, "reason": "Required"}
    ]


def test_a_product_id_given_as_a_string_of_digits_is_accepted():
    assert check(product_id="123456").product_id == 123456


# --- color and primary image --------------------------------------------------------------
def test_a_bad_color_image_is_one_entry_without_an_index():
    assert check(color_image="color.jpg").errors == [
        {"field": "color_image", "index": None, "url": "color.jpg", "reason": INVALID_URL}
    ]


@pytest.mark.parametrize("color_image", [None, ""])
def test_no_color_image_is_fine(color_image):
    assert check(color_image=color_image).request.color_image == ""


def test_a_primary_image_outside_the_list_counts_against_the_limit():
    images = [f"https://r2.com/img{i}.jpg" for i in range(2)]

    assert check(images=images, primary_image=images[1], limit=2).ok
    assert check(images=images, primary_image="https://r2.com/main.jpg", limit=3).request.main_image == (
        "https://r2.com/main.jpg"
    )
    (entry,) = check(images=images, primary_image="https://r2.com/main.jpg", limit=2).errors
    assert entry["field"] == "primary_image"


# --- credential -----------------------------------------------------------------------------
def test_a_credential_is_taken_and_its_key_kept_out_of_its_repr():
    result = check(credential={"client_id": 123456, "api_key": "  the-key  "})

    assert result.ok
    assert (result.credential.client_id, result.credential.api_key) == ("123456", "the-key")
    assert "the-key" not in repr(result.credential) and "the-key" not in repr(result)


@pytest.mark.parametrize("credential", [None, {}, {"client_id": "", "api_key": ""}])
def test_an_absent_or_empty_credential_means_the_stored_one(credential):
    result = check(credential=credential)

    assert result.ok and result.credential is None


@pytest.mark.parametrize(
    "credential", [{"client_id": "1"}, {"api_key": "secret-value"}, "secret-value", {"client_id": [], "api_key": "k"}]
)
def test_a_half_credential_is_refused_without_echoing_it(credential):
    (entry,) = check(credential=credential).errors

    assert entry["field"] == "credential" and entry["url"] is None
    assert "secret-value" not in str(entry)


@pytest.mark.parametrize(
    "credential",
    [
        {"client_id": "12\r\nX-Evil: 1", "api_key": "k"},
        {"client_id": "1", "api_key": "ключ"},
        {"client_id": "1", "api_key": "a b"},
    ],
)
def test_a_credential_that_cannot_be_a_header_value_is_refused(credential):
    (entry,) = check(credential=credential).errors

    assert entry == {
        "field": "credential",
        "index": None,
        "url": None,
        "reason": "client_id and api_key must be printable ASCII without spaces",
    }


def test_a_body_that_is_not_an_object_is_one_entry():
    assert image_push_validate(data=["https://r2.com/1.jpg"], images_limit=LIMIT).errors == [
        {"field": "body", "index": None, "url": None, "reason": "Expected a JSON object"}
    ]


def test_problems_come_in_the_order_of_the_fields():
    result = image_push_validate(
        data={"product_id": 0, "images": ["x"], "images360": ["y"], "color_image": "z", "credential": {"client_id": 1}},
        images_limit=LIMIT,
    )

    assert [e["field"] for e in result.errors] == ["product_id", "images", "images360", "color_image", "credential"]


def test_the_reasons_read_in_the_requests_language():
    from django.utils import translation

    with translation.override("ru"):
        reasons = [e["reason"] for e in check(images=["invalid-url", VALID["images"][0]], product_id=None).errors]

    assert reasons == ["Обязательное поле", "Неверный формат URL"]  # needs the lead's locale/ru entries
    assert [e["reason"] for e in check(product_id=None).errors] == ["Required"]  # English stays English

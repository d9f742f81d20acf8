"""POST /api/v1/ozon/push-images: auth, the shapes of SPEC §6, the status of each failure, CORS, schema.

Translates the seed plan's route tests (API key required, product_id and
array checks, the integration with a mocked push) and its response-building
test.
"""

from functools import partial

import pytest
from django.test import Client
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from imagepush import apis, services
from imagepush.models import ImagePush, PushStatus
from ozonprice.models import RuntimeSettings
from ozonprice.services import api_secret_generate
from tests.factories import SkuFactory, UserFactory
from tests.fakes.pictures import PICTURES_IMPORT, QUOTA_429, FakePictures, item_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/ozon/push-images"
NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]
SEED_REQUEST = {"credential": {"client_id": "test", "api_key": "test"}, "product_id": 123456, "images": NEW}
ALLOWED = "https://studio.example.com"


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


@pytest.fixture
def ozon(no_network, settings):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    fake = FakePictures()
    fake.add(123456, "ART-1", ["https://cdn.ozon.example/old.jpg"])
    return fake.install(no_network)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


# --- seed: test_push_images_requires_api_key --------------------------------------------
def test_pushing_requires_an_api_key(no_network):
    response = Client().post(URL, SEED_REQUEST, content_type="application/json")

    assert response.status_code in (401, 403)
    assert response.json()["success"] is False and response.json()["error"]
    assert ImagePush.objects.count() == 0 and len(no_network.calls) == 0


def test_a_wrong_api_key_is_401(db):
    api_secret_generate()
    client = APIClient(headers={"X-API-Key": "not-the-key"})

    response = client.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 401
    assert response.json()["success"] is False


def test_a_logged_in_non_staff_user_is_403(db):
    client = APIClient()
    client.force_login(UserFactory())

    assert client.post(URL, SEED_REQUEST, format="json").status_code == 403


def test_a_staff_session_with_the_push_permission_may_push_and_is_recorded_by_name(ozon):
    client = APIClient()
    client.force_login(UserFactory(staff=True, username="manager", permissions=["imagepush.add_imagepush"]))

    response = client.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 200
    assert ImagePush.objects.get().requested_by == "manager"


# --- seed: test_push_images_integration -----------------------------------------------------
def test_the_seed_request_pushes_and_answers_the_documented_shape(api, ozon):
    response = api.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {
            "product_id": 123456,
            "updated": {"images": 2, "images360": 0, "color_image": False},
            "current_images": NEW,
        },
    }
    row = ImagePush.objects.get()
    assert row.status == PushStatus.IMPORTED and row.requested_by == "default"  # the key's name and row.source == "api"


def test_stored_credentials_are_used_without_a_credential(api, ozon, ozon_credentials, no_network):
    body = {"product_id": 123456, "images": NEW, "images360": [], "color_image": "https://r2.com/color.jpg"}

    response = api.post(URL, body, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["updated"]["color_image"] is True
    assert {c.request.headers["Api-Key"] for c in no_network.calls} == {ozon_credentials.api_key}


def test_fields_outside_the_contract_are_ignored(api, ozon):
    response = api.post(URL, {**SEED_REQUEST, "primary_image": NEW[1]}, format="json")

    assert response.status_code == 200
    assert "primary_image" not in ozon.imports[0][0]


# --- seed: test_push_images_validates_product_id / _validates_array_lengths -----------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"product_id": -1}, "product_id"),
        ({"images": [f"https://r2.com/img{i}.jpg" for i in range(31)]}, "images"),
        ({"images360": [f"https://r2.com/360_{i}.jpg" for i in range(71)]}, "images360"),
        ({"images360": ["https://r2.com/360_1.jpg"]}, "images360"),
        ({"images": ["https://r2.com/1.jpg", 7]}, "images"),
    ],
)
def test_invalid_input_is_a_400_listing_each_problem(api, no_network, change, field):
    response = api.post(URL, {**SEED_REQUEST, **change}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and set(body) == {"success", "errors"}
    assert [e["field"] for e in body["errors"]] == [field]
    assert set(body["errors"][0]) == {"field", "index", "url", "reason"}
    assert ImagePush.objects.get().status == PushStatus.FAILED
    assert len(no_network.calls) == 0


def test_the_images_limit_follows_the_runtime_setting(api, ozon, ozon_credentials):
    RuntimeSettings.objects.filter(pk=RuntimeSettings.load().pk).update(images_limit=2)  # global, not per account

    response = api.post(URL, {**SEED_REQUEST, "images": [*NEW, "https://r2.com/img3.jpg"]}, format="json")

    assert response.json()["errors"] == [{"field": "images", "index": None, "url": None, "reason": "Exceeds limit (2)"}]


def test_a_body_that_is_not_json_is_a_415_in_the_same_envelope(api):
    response = api.post(URL, "product_id=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["success"] is False


def test_malformed_json_is_a_400_in_the_validation_shape(api):
    response = api.post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert response.json()["success"] is False
    assert problem["field"] == "body" and problem["reason"].startswith("JSON parse error")


# --- Ozon-side failures: one status each, `error` says "Ozon API error: …" -------------------
def test_a_product_ozon_does_not_know_is_404(api, ozon):
    response = api.post(URL, {**SEED_REQUEST, "product_id": 999}, format="json")

    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Ozon API error: product 999 not found on Ozon"}


def test_an_ozon_error_is_502(api, ozon):
    ozon.fail(PICTURES_IMPORT, 500, {"code": 13, "message": "Internal error", "details": []})

    response = api.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 502
    assert response.json() == {
        "success": False,
        "error": "Ozon API error: ozon 500 on /v2/product/pictures/import: Internal error",
    }


def test_a_task_that_ends_failed_is_502_and_not_success(api, ozon):
    ozon.failing["ART-1"] = [item_error("image_download_failed", "failed to download image https://r2.com/img2.jpg")]

    response = api.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 502
    assert response.json()["success"] is False
    assert "failed to download image https://r2.com/img2.jpg" in response.json()["error"]


def test_a_used_up_quota_is_503_with_retry_after(api, ozon):
    ozon.fail(PICTURES_IMPORT, 429, QUOTA_429, {"Item-Retry-After": "5"})

    response = api.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "300"
    assert response.json()["error"].startswith("Ozon API error: ozon 429 on /v2/product/pictures/import")


def test_a_task_not_done_in_time_is_504(api, ozon, monkeypatch):
    ozon.pending_polls = 1000
    clock = Clock()
    monkeypatch.setattr(apis, "image_push_submit", partial(services.image_push_submit, sleep=clock.sleep, clock=clock))

    response = api.post(URL, SEED_REQUEST, format="json")

    assert response.status_code == 504
    assert "still pending" in response.json()["error"]


def test_a_supplied_api_key_is_not_in_any_answer_or_record(api, ozon):
    key = "imagestudio-key-5a4b3c"
    ozon.fail(PICTURES_IMPORT, 403, {"code": 7, "message": f"Invalid Api-Key {key}", "details": []})

    response = api.post(URL, {**SEED_REQUEST, "credential": {"client_id": "42", "api_key": key}}, format="json")

    assert response.status_code == 502
    assert key not in response.content.decode()
    assert key not in str(list(ImagePush.objects.values()))
    assert ApiLogEntry.objects.filter(endpoint=PICTURES_IMPORT).exists()
    assert key not in str(list(ApiLogEntry.objects.values()))


# --- CORS ---------------------------------------------------------------------------------
def preflight(origin):
    return Client().options(
        URL,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-api-key",
    )


def test_an_allowed_origin_passes_the_preflight_with_the_api_key_header(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = preflight(ALLOWED)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "x-api-key" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_another_origin_does_not_pass_the_preflight(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = preflight("https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response.headers


def test_an_allowed_origin_can_read_the_answer(api, ozon, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = api.post(URL, SEED_REQUEST, format="json", HTTP_ORIGIN=ALLOWED)

    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_cors_covers_only_the_api(settings, db):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = Client().get("/admin/login/", HTTP_ORIGIN=ALLOWED)

    assert "Access-Control-Allow-Origin" not in response.headers


# --- the schema ------------------------------------------------------------------------------
def test_the_schema_documents_the_push_with_its_shapes_and_statuses(db):
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/ozon/push-images"]["post"]
    assert operation["operationId"] == "ozon_push_images"
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "404", "415", "429", "502", "503", "504"}
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][request]["properties"]) == {
        "credential",
        "account",
        "product_id",
        "images",
        "images360",
        "color_image",
    }
    assert {"ApiKeyAuth": []} in operation["security"]


def test_a_push_of_a_known_sku_updates_its_images(api, ozon):
    sku = SkuFactory(product_id=123456, offer_id="ART-1")

    api.post(URL, SEED_REQUEST, format="json")

    sku.refresh_from_db()
    assert sku.images == NEW and ImagePush.objects.get().sku == sku


def test_a_push_with_the_callers_own_bad_key_does_not_make_health_report_ozon_down(api, ozon, account):
    from tests.factories import ApiLogEntryFactory

    # The configured account's last call went well.
    ApiLogEntryFactory(service="ozon", success=True, status_code=200, response_time=0.1, account=account)
    ozon.fail(PICTURES_IMPORT, 403, {"code": 7, "message": "Invalid Api-Key", "details": []})

    response = api.post(
        URL, {**SEED_REQUEST, "credential": {"client_id": "42", "api_key": "callers-bad-key"}}, format="json"
    )

    assert response.status_code == 502
    call = ApiLogEntry.objects.get(endpoint=PICTURES_IMPORT)
    assert call.service == "ozon_caller" and call.status_code == 403
    assert APIClient().get("/health").json()["components"]["ozon_api"]["status"] == "ok"

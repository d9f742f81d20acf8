"""Audit rows: redaction of secrets, the payload size cap, retention."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from auditlog import services
from auditlog.models import ApiLogEntry
from auditlog.services import (
    api_log_record,
    api_logs_purge,
    payload_for_log,
)
from ozonprice.redaction import REDACTED, redact_text, scrub

API_KEY = "secret-key-xyz"
CLIENT_ID = "123456"


def record(**overrides):
    fields = {
        "direction": "out",
        "service": "ozon",
        "endpoint": "/v3/product/list",
        "method": "POST",
        "status_code": 200,
        "response_time": 0.12,
        "success": True,
    }
    fields.update(overrides)
    return api_log_record(**fields)


# --- payload_for_log -------------------------------------------------------------------------
def test_a_json_payload_is_stored_with_secret_like_keys_masked():
    stored = payload_for_log(json.dumps({"filter": {"visibility": "ALL"}, "token": "t-1"}), limit=1000)

    assert json.loads(stored) == {"filter": {"visibility": "ALL"}, "token": REDACTED}


def test_known_secret_values_are_scrubbed_from_any_text():
    stored = payload_for_log(f"<html>key {API_KEY} client {CLIENT_ID}</html>", secrets=[API_KEY, CLIENT_ID], limit=1000)

    assert stored == f"<html>key {REDACTED} client {REDACTED}</html>"


def test_a_payload_over_the_cap_is_cut_and_marked():
    text = json.dumps({"items": ["x" * 500]})

    stored = payload_for_log(text, limit=100)

    assert stored.startswith(text[:100])
    assert stored.endswith(f"…[truncated {len(text) - 100} chars]")
    assert len(stored) < len(text)


def test_the_cap_comes_from_the_setting(settings):
    settings.AUDIT_PAYLOAD_MAX_CHARS = 50

    stored = payload_for_log("y" * 80)

    assert stored == "y" * 50 + "…[truncated 30 chars]"


def test_a_payload_within_the_cap_is_not_marked():
    assert payload_for_log("plain text", limit=10) == "plain text"
    assert payload_for_log("", limit=10) == ""


def test_a_secret_across_the_cut_is_scrubbed_before_cutting():
    text = "a" * 95 + API_KEY + "b" * 50

    stored = payload_for_log(text, secrets=[API_KEY], limit=100)

    assert "secret" not in stored and "xyz" not in stored
    assert stored.startswith("a" * 95 + REDACTED)


def test_secret_like_keys_are_masked_in_a_payload_over_the_cap_too():
    text = json.dumps({"token": "tok-abc-123", "password": "hunter2", "items": ["x" * 500]})

    stored = payload_for_log(text, limit=100)

    assert "tok-abc-123" not in stored and "hunter2" not in stored
    assert "[truncated" in stored


@pytest.mark.parametrize(
    "text",
    [
        '{api_key: "key-1234", product_id: 7}',
        "{api_key: key-1234, product_id: 7}",
        "{'api_key': 'key-1234', 'product_id': 7}",
        "api_key=key-1234&client_id=99887766&product_id=7",
        "product_id=7&client_id=99887766&api_key=key-1234",
        "credential[api_key]=key-1234&product_id=7",
        "password = key-1234\nproduct_id = 7",
        '{"credential": {"api_key": "key-1234", "client_id": "99887766"}, "product_id": 7',
        '{"note": "x", "token": key-1234}',
    ],
    ids=[
        "unquoted key",
        "unquoted key and value",
        "single quotes",
        "form body",
        "form, secret last",
        "form, nested key",
        "key = value lines",
        "cut-short JSON",
        "unquoted value in JSON",
    ],
)
def test_secrets_in_a_body_that_is_not_json_are_masked_and_the_rest_is_kept(text):
    stored = payload_for_log(text)

    assert "key-1234" not in stored and "99887766" not in stored
    assert REDACTED in stored
    assert "product_id" in stored or "note" in stored


@pytest.mark.parametrize("text", ["token" * 20_000, '"' + "token" * 20_000, "a" * 100_000])
def test_masking_text_takes_time_in_proportion_to_its_length(text):
    # A key made of the secret word repeated must not be re-scanned once per repetition
    # (that took seconds for 100 kB).
    started = time.perf_counter()

    redact_text(text)

    assert time.perf_counter() - started < 2


def test_a_form_body_keeps_its_harmless_fields_readable():
    assert payload_for_log("api_key=key-1234&product_id=7") == "api_key=***&product_id=7"


# --- api_log_record --------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_log_row_keeps_what_was_called_and_masks_every_secret():
    row = record(
        status_code=403,
        success=False,
        products_count=3,
        error_message=f"ozon 403 on /v3/product/list: Api-Key {API_KEY} is missing a required role",
        request_payload=json.dumps({"api_key": "other-secret", "product_id": ["243686911"]}),
        response_payload=json.dumps({"code": 7, "message": f"bad key {API_KEY} for {CLIENT_ID}"}),
        secrets=[API_KEY, CLIENT_ID, ""],
    )

    row.refresh_from_db()
    assert (row.direction, row.service, row.endpoint, row.method) == ("out", "ozon", "/v3/product/list", "POST")
    assert (row.status_code, row.success, row.products_count) == (403, False, 3)
    assert row.error_message == f"ozon 403 on /v3/product/list: Api-Key {REDACTED} is missing a required role"
    assert json.loads(row.request_payload) == {"api_key": REDACTED, "product_id": ["243686911"]}
    assert json.loads(row.response_payload) == {"code": 7, "message": f"bad key {REDACTED} for {REDACTED}"}
    for value in (row.error_message, row.request_payload, row.response_payload, row.endpoint):
        assert API_KEY not in value and CLIENT_ID not in value and "other-secret" not in value


@pytest.mark.django_db
def test_a_log_row_caps_its_payloads(settings):
    settings.AUDIT_PAYLOAD_MAX_CHARS = 200

    row = record(response_payload=json.dumps({"items": [{"offer_id": f"ART-{i:04d}"} for i in range(100)]}))

    assert row.response_payload.endswith("chars]")
    assert "…[truncated " in row.response_payload
    assert len(row.response_payload) < 250


@pytest.mark.django_db
def test_a_long_endpoint_is_cut_to_the_column():
    row = record(endpoint="/v1/" + "a" * 600)

    row.refresh_from_db()
    assert len(row.endpoint) == 500


# --- api_logs_purge --------------------------------------------------------------------------
@pytest.mark.django_db
def test_purge_deletes_only_rows_older_than_the_retention():
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    ages = {"ancient": 90, "old": 31, "edge": 30, "recent": 29, "today": 0}
    for name, days in ages.items():
        with time_machine.travel(now - timedelta(days=days), tick=False):
            record(endpoint=f"/{name}")

    with time_machine.travel(now, tick=False):
        deleted = api_logs_purge(older_than_days=30)

    assert deleted == 2
    assert sorted(ApiLogEntry.objects.values_list("endpoint", flat=True)) == ["/edge", "/recent", "/today"]


@pytest.mark.django_db
def test_purge_with_nothing_old_deletes_nothing():
    record()

    assert api_logs_purge(older_than_days=30) == 0
    assert ApiLogEntry.objects.count() == 1


def test_a_secret_near_the_cut_of_a_huge_payload_is_scrubbed(monkeypatch):
    text = "a" * 95 + f"{API_KEY} {CLIENT_ID} " + "b" * 5_000_000  # a 1000-product page is megabytes
    scrubbed = []
    monkeypatch.setattr(services, "scrub", lambda part, **hidden: scrubbed.append(len(part)) or scrub(part, **hidden))

    stored = payload_for_log(text, secrets=[API_KEY], identifiers=[CLIENT_ID], limit=100)

    kept = ("a" * 95 + f"{REDACTED} {REDACTED} ")[:100]
    left_out = len(text) - len(API_KEY) - len(CLIENT_ID) + 2 * len(REDACTED) - 100
    assert stored == f"{kept}…[truncated {left_out} chars]"
    assert max(scrubbed) < 1000  # the part kept is scrubbed, not the megabytes

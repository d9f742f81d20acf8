"""Redaction: secret-like keys masked in JSON and headers, known secrets and identifiers scrubbed from text."""

import pytest

from ozonprice.redaction import REDACTED, redact, redact_headers, scrub

API_KEY = "secret-key-xyz"
CLIENT_ID = "123456"


# --- redact ----------------------------------------------------------------------------------
def test_it_masks_secret_like_keys_nested_in_dicts_and_lists():
    payload = {
        "api_key": "k1",
        "Api-Key": "k2",
        "seller": {"client_secret": "s1", "Password": "p1", "name": "Shop"},
        "tokens": [{"access_token": "t1", "kind": "bearer"}, {"refresh_token": "t2"}],
        "credentials": {"login": "me", "pass": "x"},
        "prices": [{"offer_id": "ART-0001", "price": "1290.00"}],
    }

    masked = redact(payload)

    assert masked == {
        "api_key": REDACTED,
        "Api-Key": REDACTED,
        "seller": {"client_secret": REDACTED, "Password": REDACTED, "name": "Shop"},
        "tokens": REDACTED,
        "credentials": REDACTED,
        "prices": [{"offer_id": "ART-0001", "price": "1290.00"}],
    }
    assert payload["api_key"] == "k1", "the original is left alone"


def test_it_masks_secrets_in_a_list_at_the_top_level():
    masked = redact([{"secret": "s"}, [{"password": "p"}], "plain", 3])

    assert masked == [{"secret": REDACTED}, [{"password": REDACTED}], "plain", 3]


def test_it_masks_secret_headers_whatever_their_case():
    headers = {"Api-Key": API_KEY, "client-id": CLIENT_ID, "Authorization": "Bearer t", "Content-Type": "text/plain"}

    assert redact_headers(headers) == {
        "Api-Key": REDACTED,
        "client-id": REDACTED,
        "Authorization": REDACTED,
        "Content-Type": "text/plain",
    }


def test_the_client_id_is_scrubbed_as_a_whole_token_only():
    text = '{"product_id": 11234567, "note": "account 123456", "url": "x?id=123456&k=1"}'

    assert scrub(text, identifiers=["123456"]) == (
        '{"product_id": 11234567, "note": "account ***", "url": "x?id=***&k=1"}'
    )


@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        ("Invalid Api-Key", "Ke", "Invalid Api-Key"),  # too short to be searched inside words
        ("key Ke refused", "Ke", "key *** refused"),  # a short value standing alone is still hidden
        ("/botsecret:TOKEN42/sendMessage", "secret:TOKEN42", "/bot***/sendMessage"),  # a real one anywhere
    ],
)
def test_secrets_are_scrubbed_by_length_whole_tokens_when_short(text, secret, expected):
    assert scrub(text, secrets=[secret]) == expected

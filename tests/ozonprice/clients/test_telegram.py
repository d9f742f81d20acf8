"""Telegram `sendMessage` through the seam: the documented body, a capped text, the bot token in no log row."""

import json

import pytest
import responses

from auditlog.models import ApiLogEntry
from ozonprice.clients.http import ApiError
from ozonprice.clients.telegram import API_URL, MAX_MESSAGE, telegram_send

pytestmark = pytest.mark.django_db
TOKEN = "123456:AA-telegram-bot-token-xyz"
URL = f"{API_URL}/bot{TOKEN}/sendMessage"


def ok(mock: responses.RequestsMock) -> None:
    mock.add(responses.POST, URL, json={"ok": True, "result": {"message_id": 7}})


def test_sends_the_chat_and_text_as_json_to_the_bots_sendmessage(no_network):
    ok(no_network)

    telegram_send(token=TOKEN, chat_id="-100200300", text="Цена поднята: 3 SKU")

    (call,) = no_network.calls
    assert call.request.url == URL
    assert json.loads(call.request.body) == {"chat_id": "-100200300", "text": "Цена поднята: 3 SKU"}


def test_a_text_over_telegrams_limit_is_cut_to_4096_characters(no_network):
    ok(no_network)

    telegram_send(token=TOKEN, chat_id="1", text="я" * (MAX_MESSAGE + 500))

    assert json.loads(no_network.calls[0].request.body)["text"] == "я" * 4096


def test_the_call_is_audited_as_telegram_with_the_token_scrubbed(no_network):
    ok(no_network)

    telegram_send(token=TOKEN, chat_id="1", text="hello")

    (row,) = ApiLogEntry.objects.filter(service="telegram")
    assert row.success and row.status_code == 200
    stored = " ".join([row.endpoint, row.request_payload, row.response_payload, row.error_message])
    assert TOKEN not in stored and "telegram-bot-token" not in stored


def test_a_server_error_is_raised_and_the_message_is_not_sent_twice(no_network):
    # A write whose outcome is unknown is never repeated: the chat would get the message twice.
    no_network.add(responses.POST, URL, status=500, json={"ok": False, "description": "Internal Server Error"})

    with pytest.raises(ApiError):
        telegram_send(token=TOKEN, chat_id="1", text="hello")

    assert len(no_network.calls) == 1
    (row,) = ApiLogEntry.objects.filter(service="telegram")
    assert not row.success and TOKEN not in row.endpoint + row.error_message + row.response_payload


def test_another_base_url_is_honoured(no_network):
    no_network.add(responses.POST, f"https://tg.example/bot{TOKEN}/sendMessage", json={"ok": True})

    telegram_send(token=TOKEN, chat_id="1", text="x", base_url="https://tg.example")

    assert no_network.calls[0].request.url.startswith("https://tg.example/")

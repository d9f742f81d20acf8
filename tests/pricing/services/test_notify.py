"""Failure reports reach every configured channel: e-mail and Telegram; with none, the log; one failing channel spares the other."""

import json
import logging

import pytest
import responses
from django.core import mail

from ozonprice.models import RuntimeSettings
from pricing.services.notify import LISTED, failures_message, failures_notify

pytestmark = pytest.mark.django_db
TOKEN = "42:bot-token-for-notify"
TELEGRAM = f"https://api.telegram.org/bot{TOKEN}/sendMessage"


def failure(i: int) -> dict[str, str]:
    return {"offer_id": f"ART-{i}", "product_id": str(1000 + i), "error": "price not applied"}


def configure(*, emails: str = "", token: str = "", chat: str = "") -> None:
    runtime = RuntimeSettings.load()
    runtime.notify_emails, runtime.telegram_bot_token, runtime.telegram_chat_id = emails, token, chat
    runtime.save()


def test_the_message_lists_fifty_failures_and_counts_the_rest():
    text = failures_message([failure(i) for i in range(LISTED + 7)])

    lines = text.splitlines()
    assert len(lines) == 1 + LISTED + 1
    assert lines[1] == "- ART-0 (1000): price not applied"
    assert "7" in lines[-1]


def test_both_channels_get_the_same_report(no_network):
    configure(emails="a@example.com\n\n b@example.com ", token=TOKEN, chat="-100")
    no_network.add(responses.POST, TELEGRAM, json={"ok": True})

    assert failures_notify([failure(1)]) == ["email", "telegram"]

    (message,) = mail.outbox
    assert message.to == ["a@example.com", "b@example.com"]
    sent = json.loads(no_network.calls[0].request.body)
    assert sent == {"chat_id": "-100", "text": message.body}
    assert "ART-1" in message.body


def test_telegram_needs_both_the_token_and_the_chat(no_network):
    configure(token=TOKEN)

    assert failures_notify([failure(1)]) == []
    assert len(no_network.calls) == 0


def test_a_telegram_failure_is_logged_and_the_email_still_goes(no_network, caplog):
    configure(emails="a@example.com", token=TOKEN, chat="-100")
    no_network.add(responses.POST, TELEGRAM, status=500, json={"ok": False})

    with caplog.at_level(logging.ERROR, logger="pricing.services.notify"):
        assert failures_notify([failure(1)]) == ["email"]

    assert len(mail.outbox) == 1
    assert "Telegram message not sent" in caplog.text and TOKEN not in caplog.text


def test_with_no_channel_the_report_goes_to_the_log(caplog):
    configure()

    with caplog.at_level(logging.WARNING, logger="pricing.services.notify"):
        assert failures_notify([failure(3)]) == []

    assert "ART-3" in caplog.text

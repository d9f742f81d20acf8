"""Telegram Bot API `sendMessage`, through the HTTP seam (the token is a secret: never logged)."""

from __future__ import annotations

from ozonprice.clients.http import HttpSeam, RetryPolicy

API_URL = "https://api.telegram.org"
# Telegram caps a message at 4096 characters.
MAX_MESSAGE = 4096


def telegram_send(*, token: str, chat_id: str, text: str, base_url: str = API_URL) -> None:
    seam = HttpSeam(
        service="telegram",
        base_url=base_url,
        secrets=[token],  # the token is part of the URL path: scrubbed from the log
        timeout=(5.0, 15.0),
        retry=RetryPolicy(max_retries=2),
    )
    try:
        seam.post(f"/bot{token}/sendMessage", {"chat_id": chat_id, "text": text[:MAX_MESSAGE]}, idempotent=False)
    finally:
        seam.close()

"""The API secret: generated once, stored only as a hash, checked per request."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ozonprice.models import RuntimeSettings

HASH_PREFIX = "sha256$"


def api_secret_hash(secret: str) -> str:
    """The stored form of a secret.

    A plain SHA-256 is enough here (and cheap on every request): the secret is
    256 random bits, so there is nothing for a slow password hash to protect
    against guessing. It is deliberately not keyed with SECRET_KEY, so rotating
    Django's key does not silently revoke the API key.
    """
    return HASH_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def api_secret_generate() -> str:
    """Make a new API secret, store its hash and return it (the only time it is shown).

    The previous secret stops working at once.
    """
    secret = secrets.token_urlsafe(32)
    runtime = RuntimeSettings.load()
    runtime.api_secret_hash = api_secret_hash(secret)
    runtime.save(update_fields=["api_secret_hash", "updated_at"])
    return secret


def api_secret_is_set() -> bool:
    return bool(RuntimeSettings.load().api_secret_hash)


def api_secret_check(secret: str) -> bool:
    """Whether `secret` is the current API secret. False when none is set."""
    stored = RuntimeSettings.load().api_secret_hash
    if not secret or not stored.startswith(HASH_PREFIX):
        return False
    return hmac.compare_digest(api_secret_hash(secret), stored)

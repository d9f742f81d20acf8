"""`EncryptedTextField`: a text column stored as a Fernet token.

The keys come from `FIELD_ENCRYPTION_KEY` (settings: `FIELD_ENCRYPTION_KEYS`),
a comma-separated list of Fernet keys. The first encrypts; all of them decrypt
(`MultiFernet`), so a key is rotated by putting the new one first, running
`manage.py rotate_encryption_key`, then dropping the old one.

A value that no configured key can decrypt raises `EncryptionKeyError`: it is
never handed back as ciphertext, which would otherwise go to Ozon as an
Api-Key (the packages on PyPI swallow `InvalidToken`, docs/reliability.md §3.3).
An empty string stays empty, so "not configured" is still a plain `if not value`.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models


class EncryptionKeyError(ImproperlyConfigured):
    """The encryption keys are missing, malformed, or cannot decrypt a stored value."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise EncryptionKeyError(
            "FIELD_ENCRYPTION_KEY is not set: secrets cannot be stored or read. "
            'Generate one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise EncryptionKeyError(
            "FIELD_ENCRYPTION_KEY holds a malformed key: each must be 32 url-safe base64-encoded bytes"
        ) from None


def fernet() -> MultiFernet:
    """The configured keys, the first one encrypting."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def _reset(*, setting: str, **kwargs) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


setting_changed.connect(_reset)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # The message names no part of the token: it may be a plaintext secret.
        raise EncryptionKeyError(
            "a stored secret cannot be decrypted with FIELD_ENCRYPTION_KEY: the key is wrong or was removed"
        ) from None


def rotate(token: str) -> str:
    """The same secret re-encrypted with the first key."""
    if not token:
        return ""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise EncryptionKeyError("a stored secret cannot be decrypted with any FIELD_ENCRYPTION_KEY") from None


class EncryptedTextField(models.TextField):
    """Plaintext in Python, a Fernet token in the database. Not searchable or indexable."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)

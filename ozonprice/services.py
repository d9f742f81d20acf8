"""Runtime settings, the API secret (stored only as a hash) and the secrets at rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model

from ozonprice.db import column_name, concrete_field
from ozonprice.fields import rotate
from ozonprice.models import Account, RuntimeSettings
from ozonprice.schedule import schedules_install

# The columns stored encrypted (ozonprice/fields.py), per model: every row of each is re-encrypted.
ENCRYPTED_FIELDS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (RuntimeSettings, ("telegram_bot_token",)),
    (Account, ("api_key",)),
)

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


def _stored_secret_hash() -> str:
    # Reads one column: checking a request's key never decrypts the stored secrets.
    stored = RuntimeSettings.objects.filter(pk=RuntimeSettings.SINGLETON_PK).values_list("api_secret_hash", flat=True)
    return next(iter(stored), "") or ""


def api_secret_is_set() -> bool:
    return bool(_stored_secret_hash())


def api_secret_check(secret: str) -> bool:
    """Whether `secret` is the current API secret. False when none is set."""
    stored = _stored_secret_hash()
    if not secret or not stored.startswith(HASH_PREFIX):
        return False
    return hmac.compare_digest(api_secret_hash(secret), stored)


def secret_mask(value: str) -> str:
    """A stored secret as it may be shown: its last 4 characters, or nothing of a short one."""
    if not value:
        return ""
    # Showing 4 characters of a short value would show most of it.
    return "****" + value[-4:] if len(value) >= 16 else "****"


@dataclass(frozen=True)
class SettingsUpdate:
    changed: list[str]
    rescheduled: bool


def runtime_settings_update(
    *,
    monitoring_interval: int | None = None,
    price_update_interval: int | None = None,
    guard_interval: int | None = None,
) -> SettingsUpdate:
    """Change the given global settings (None: keep); an account's own settings: `account_update`.

    New intervals reschedule the django-q2 schedules in the same transaction.
    """
    values = {
        "monitoring_interval": monitoring_interval,
        "price_update_interval": price_update_interval,
        "guard_interval": guard_interval,
    }
    with transaction.atomic():
        runtime = RuntimeSettings.load()
        changed = [name for name, value in values.items() if value is not None and getattr(runtime, name) != value]
        for name in changed:
            setattr(runtime, name, values[name])
        if changed:
            runtime.full_clean()
            runtime.save(update_fields=[*changed, "updated_at"])
        rescheduled = bool({"monitoring_interval", "price_update_interval", "guard_interval"} & set(changed))
        if rescheduled:
            schedules_install()
    return SettingsUpdate(changed=changed, rescheduled=rescheduled)


def secrets_reencrypt() -> int:
    """Re-encrypt every stored secret (the settings row's, every account's) with the first
    FIELD_ENCRYPTION_KEY; returns how many.

    Works on the raw tokens (the model field would hand back plaintext), so a
    set of keys that can no longer decrypt one fails loudly and writes nothing
    (one transaction over every table).
    """
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, names in ENCRYPTED_FIELDS:
            table = connection.ops.quote_name(model._meta.db_table)
            columns = [connection.ops.quote_name(column_name(concrete_field(model, name))) for name in names]
            cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table}")  # noqa: S608 - names from the model
            for pk, *tokens in cursor.fetchall():
                rotated = [rotate(token) if token else token for token in tokens]
                count += sum(1 for token in tokens if token)
                assignments = ", ".join(f"{column} = %s" for column in columns)
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*rotated, pk])  # noqa: S608
    return count

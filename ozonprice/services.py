"""Runtime settings, the "default" API key (stored only as a hash) and the secrets at rest.

Named keys, their scopes and the check of a presented key: `ozonprice/keys.py`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from ozonprice.db import column_name, concrete_field
from ozonprice.fields import rotate
from ozonprice.models import Account, ApiKey, ApiScope, RuntimeSettings
from ozonprice.schedule import schedules_install

# The columns stored encrypted (ozonprice/fields.py), per model: every row of each is re-encrypted.
ENCRYPTED_FIELDS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (RuntimeSettings, ("telegram_bot_token",)),
    (Account, ("api_key",)),
)

HASH_PREFIX = "sha256$"
# The key SPEC's single API secret became (migration 0006); generate-secret rotates it.
DEFAULT_KEY_NAME = "default"


def api_secret_hash(secret: str) -> str:
    """The stored form of a secret.

    A plain SHA-256 is enough here (and cheap on every request): the secret is
    256 random bits, so there is nothing for a slow password hash to protect
    against guessing. It is deliberately not keyed with SECRET_KEY, so rotating
    Django's key does not silently revoke the API key.
    """
    return HASH_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def api_secret_new() -> tuple[str, str, str]:
    """A new key secret (256 random bits) and what is stored of it: its lookup prefix and its hash."""
    secret = secrets.token_urlsafe(32)
    return secret, secret[: ApiKey.PREFIX_LENGTH], api_secret_hash(secret)


def api_secret_generate() -> str:
    """Rotate the key named "default" (SPEC's generate-secret) and return its new secret, shown this once.

    The previous "default" secret stops working at once; named keys are not
    touched. A missing "default" is made again with every scope and account, a
    revoked one works again: asking for a new secret means wanting one that works.
    """
    secret, prefix, secret_hash = api_secret_new()
    now = timezone.now()
    with transaction.atomic():
        key, _created = ApiKey.objects.select_for_update().get_or_create(
            name=DEFAULT_KEY_NAME,
            defaults={"scopes": list(ApiScope.values), "all_accounts": True, "created_by": "generate-secret"},
        )
        key.secret_hash, key.prefix = secret_hash, prefix
        key.revoked_at = None
        if key.expires_at is not None and key.expires_at <= now:
            key.expires_at = None
        key.save(update_fields=["secret_hash", "prefix", "revoked_at", "expires_at"])
    return secret


def api_secret_is_set() -> bool:
    """Whether any API key can be used now (not revoked, not expired)."""
    return ApiKey.objects.filter(revoked_at__isnull=True).exclude(expires_at__lte=timezone.now()).exists()


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

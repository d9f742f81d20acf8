"""System checks for what production needs and a default cannot give."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from ozonprice.fields import EncryptionKeyError, fernet

HINT_KEY = (
    "Set FIELD_ENCRYPTION_KEY to a Fernet key: "
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


@register(Tags.security)
def check_encryption_key(app_configs, **kwargs) -> list:
    """A malformed key is always an error; a missing one warns outside DEBUG (errors under --deploy)."""
    if not settings.FIELD_ENCRYPTION_KEYS:
        if settings.DEBUG:
            return []
        return [
            Warning(
                "FIELD_ENCRYPTION_KEY is not set: the Ozon Api-Key and the Telegram token cannot be stored.",
                hint=HINT_KEY,
                id="ozonprice.W001",
            )
        ]
    try:
        fernet()
    except EncryptionKeyError as error:
        return [Error(str(error), hint=HINT_KEY, id="ozonprice.E002")]
    return []


@register(Tags.security, deploy=True)
def check_production_secrets(app_configs, **kwargs) -> list:
    errors = []
    if not settings.FIELD_ENCRYPTION_KEYS:
        errors.append(
            Error("FIELD_ENCRYPTION_KEY is not set (required in production).", hint=HINT_KEY, id="ozonprice.E001")
        )
    if settings.SECRET_KEY.startswith("dev-only-"):
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is the development default.",
                hint="Set DJANGO_SECRET_KEY to 50 or more random characters.",
                id="ozonprice.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_outbound_guard(app_configs, **kwargs) -> list:
    """The SSRF guard off is for the demo and the tests (their doubles are on 127.0.0.1)."""
    if not getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False):
        return []
    return [
        Warning(
            "OUTBOUND_ALLOW_PRIVATE is on: a manager can point the Front Price API (and push-images pictures) "
            "at loopback, private-network or cloud-metadata addresses.",
            hint="Unset OUTBOUND_ALLOW_PRIVATE unless the Front Price API really runs on a private address.",
            id="ozonprice.W002",
        )
    ]

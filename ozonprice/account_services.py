"""Ozon accounts: create, change, and the one the environment's credentials describe (bootstrap).

Saving or deleting an account reinstalls the schedules (`ozonprice.apps`
connects the receiver), so a new account starts its runs and a paused or
deleted one stops them, whoever saved it (these services, the admin, a shell).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ozonprice.models import Account

# What `account_update` may change; the rest (id, timestamps) is the model's own.
ACCOUNT_FIELDS = (
    "name",
    "client_id",
    "api_key",
    "active",
    "showcase_source",
    "front_price_api_url",
    "front_price_seller_id",
    "promo_guard",
    "promo_guard_mode",
    "discount_requests_mode",
    "discount_decline_comment",
    "showcase_hold",
    "showcase_max_uplift",
    "dry_run",
)
# The name of the account the environment's credentials make, as the migration names the first one.
BOOTSTRAP_NAME = "Ozon"


def account_create(*, name: str, client_id: str, api_key: str = "", **fields: Any) -> Account:
    """A new account; the model's validation (unique name and Client-Id, ranges) raises ValidationError."""
    _known(fields)
    account = Account(name=name, client_id=client_id, api_key=api_key, **fields)
    account.full_clean()
    account.save()
    return account


def account_update(*, account: Account, **fields: Any) -> list[str]:
    """Change the given settings of `account` (None: keep); returns the names changed.

    A blank `api_key` keeps the stored key (it is never shown back, so a form
    left blank means "unchanged").
    """
    _known(fields)
    if not fields.get("api_key"):
        fields.pop("api_key", None)
    values = {name: value for name, value in fields.items() if value is not None}
    changed = [name for name, value in values.items() if getattr(account, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(account, name, values[name])
        account.full_clean()
        account.save(update_fields=[*changed, "updated_at"])
    return changed


def account_bootstrap() -> Account | None:
    """The account of OZON_CLIENT_ID/OZON_API_KEY (and FRONT_PRICE_API_URL), made when no account has that Client-Id.

    Named "Ozon", or "Ozon <Client-Id>" when that name is taken. An account the
    migration made without credentials (SKUs but no settings row) is given
    them instead of a second one. Returns the account made or filled, None
    when there was nothing to do.
    """
    client_id = settings.OZON_CLIENT_ID.strip()
    if not client_id or Account.objects.filter(client_id=client_id).exists():
        return None
    values = {"client_id": client_id, "api_key": settings.OZON_API_KEY.strip()}
    if settings.FRONT_PRICE_API_URL:
        values["front_price_api_url"] = settings.FRONT_PRICE_API_URL
    blank = Account.objects.filter(client_id="").order_by("id").first()
    if blank is not None:
        account_update(account=blank, **values)
        return blank
    name = BOOTSTRAP_NAME
    if Account.objects.filter(name=name).exists():
        name = f"{BOOTSTRAP_NAME} {client_id}"
    try:
        return account_create(name=name, **values)
    except ValidationError as error:
        raise ValidationError(_("The environment's Ozon credentials: %(error)s") % {"error": error}) from error


def _known(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(ACCOUNT_FIELDS))
    if unknown:
        raise TypeError(f"not account settings: {', '.join(unknown)}")

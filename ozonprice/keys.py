"""Named API keys (SPEC §11): create, revoke, check a presented secret, record its last use, its accounts.

A key's secret is 256 random bits, shown once; only its SHA-256 is stored
(`ozonprice.services.api_secret_hash`). Its first `ApiKey.PREFIX_LENGTH`
characters are stored in the clear to find the row without hashing against
every key; the key migrated from the single shared secret has no prefix and is
always a candidate. The "default" key (SPEC's generate-secret) is rotated by
`ozonprice.services.api_secret_generate`.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ozonprice.models import Account, ApiKey, ApiScope
from ozonprice.services import api_secret_hash, api_secret_new

# A busy key writes its last use at most this often (one conditional UPDATE), not on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


def api_key_create(
    *,
    name: str,
    scopes: Iterable[str],
    accounts: Iterable[Account] = (),
    all_accounts: bool = False,
    expires_at: datetime | None = None,
    created_by: str = "",
) -> tuple[ApiKey, str]:
    """A new key and its secret (the only time the secret exists outside the caller's hands).

    Bad input is a ValidationError naming the field: a blank or taken name,
    an unknown scope, no scope, an expiry in the past.
    """
    name = (name or "").strip()
    scopes = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the key a name.")]
    elif ApiKey.objects.filter(name=name).exists():
        errors["name"] = [_("A key named %(name)s exists already.") % {"name": name}]
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown:
        errors["scopes"] = [
            _("Unknown scope %(scopes)s; the scopes are %(known)s.")
            % {"scopes": ", ".join(map(str, unknown)), "known": ", ".join(ApiScope.values)}
        ]
    elif not scopes:
        errors["scopes"] = [_("Give the key at least one scope.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    secret, prefix, secret_hash = api_secret_new()
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                name=name,
                prefix=prefix,
                secret_hash=secret_hash,
                scopes=scopes,
                all_accounts=all_accounts,
                expires_at=expires_at,
                created_by=created_by,
            )
            key.accounts.set(list(accounts))
    except IntegrityError:
        # Another request took the name between the check and the insert.
        raise ValidationError({"name": [_("A key named %(name)s exists already.") % {"name": name}]}) from None
    return key, secret


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke `key` now (kept, for the audit trail); revoking a revoked key keeps its first date."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at"])
    return key


def api_key_find(secret: str) -> ApiKey | None:
    """The key whose secret this is, revoked or expired ones included (so the refusal can say which)."""
    if not secret:
        return None
    digest = api_secret_hash(secret)
    found = None
    candidates = ApiKey.objects.filter(Q(prefix=secret[: ApiKey.PREFIX_LENGTH]) | Q(prefix=""))
    for key in candidates:
        # Every candidate is compared, in constant time: the answer's timing tells nothing about the hashes.
        if hmac.compare_digest(key.secret_hash.encode(), digest.encode()):
            found = key
    return found


def api_key_refusal(key: ApiKey, *, now: datetime | None = None) -> str:
    """Why `key` may not be used now ("" when it may): revoked, or expired (with the date)."""
    now = now or timezone.now()
    if key.revoked_at is not None:
        return _("This API key was revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        return _("This API key expired on %(date)s.") % {
            "date": timezone.localtime(key.expires_at).isoformat(sep=" ", timespec="minutes")
        }
    return ""


def api_key_check(secret: str) -> ApiKey | None:
    """The usable key whose secret this is: matching, not revoked, not expired. None otherwise."""
    key = api_key_find(secret)
    return key if key is not None and not api_key_refusal(key) else None


def api_key_used(*, key: ApiKey, address: str, now: datetime | None = None) -> bool:
    """Record that `key` was used from `address`; at most once a minute per key, one UPDATE. True if written.

    The condition is in the UPDATE itself, so concurrent requests (several
    processes) still write once; `address` that is not an IP address is stored as unknown.
    """
    now = now or timezone.now()
    due = now - LAST_USE_PRECISION
    if key.last_used_at is not None and key.last_used_at > due:
        return False  # the row as loaded is recent: no query at all
    try:
        ip = str(ipaddress.ip_address(address.strip())) if address else None
    except ValueError:
        ip = None
    written = (
        ApiKey.objects.filter(pk=key.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=due))
        .update(last_used_at=now, last_used_from=ip)
    )
    if written:
        key.last_used_at, key.last_used_from = now, ip
    return bool(written)


def api_key_accounts(key: ApiKey) -> QuerySet[Account]:
    """The accounts `key` may act for: every account for an `all_accounts` key, else its own (maybe none)."""
    if key.all_accounts:
        return Account.objects.all()
    return Account.objects.filter(api_keys=key)


def api_key_allows(key: ApiKey, *, scope: str) -> bool:
    return scope in (key.scopes or [])

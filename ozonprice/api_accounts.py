"""Which Ozon account an API request works on (SPEC §11): one resolver for every view.

The caller may use some accounts: an API key its own (`all_accounts`, else
`accounts`), a session user every account (the model permissions decide what it
may do, not where). The request names one by `account` (id, name or Client-Id:
the query string of a GET, the body of a POST/PUT); none named means the only
one the caller may use. Several and none named: a 400 naming `account`. A named
account the key may not use: 403, not 404 — the key is valid, only not for it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from ozonprice.accounts import AccountError, account_get, account_resolve
from ozonprice.exceptions import QueryParamsInvalid
from ozonprice.filtering import ParamsFilterSet
from ozonprice.keys import api_key_accounts
from ozonprice.models import Account, ApiKey
from ozonprice.serializers import ACCOUNT_HELP, MAX_ACCOUNT_CHARS, AccountReferenceField, StrictRequestSerializer

QUERY_METHODS = frozenset({"GET", "HEAD"})


def request_accounts(request: Any) -> QuerySet[Account]:
    """The accounts this request's caller may use: an API key's own, every account for a session user."""
    key = getattr(request, "auth", None)
    return api_key_accounts(key) if isinstance(key, ApiKey) else Account.objects.all()


def request_every_account(request: Any) -> bool:
    """Whether the caller may use every account, those added later too (a session user, an all-accounts key)."""
    key = getattr(request, "auth", None)
    return not isinstance(key, ApiKey) or key.all_accounts


def request_account_check(request: Any, account: Account) -> None:
    """A 403 unless the caller may use `account`."""
    if not request_accounts(request).filter(pk=account.pk).exists():
        raise PermissionDenied(_("This API key may not use the account %(account)s.") % {"account": account.name})


def request_account(request: Any, value: Any = None) -> Account:
    """The account `value` names (id, name or Client-Id), or the only one the caller may use.

    Unknown, or several and none named: a 400 naming `account` (a query parameter
    for GET). A named account outside the key's: 403.
    """
    allowed = request_accounts(request)
    try:
        if value is None or str(value).strip() == "":
            key = getattr(request, "auth", None)
            # An every-account key of an install without accounts yet: the 400 below says so, not a 403.
            if isinstance(key, ApiKey) and not key.all_accounts and not allowed.exists():
                raise PermissionDenied(_("This API key may use no account."))
            return account_resolve(among=allowed)
        account = account_get(value)
    except AccountError as error:
        invalid = QueryParamsInvalid if getattr(request, "method", "") in QUERY_METHODS else ValidationError
        raise invalid({AccountError.field: [str(error)]}) from None
    request_account_check(request, account)
    return account


class AccountFilterSet(ParamsFilterSet):
    """A list's rows of the request's account only (`account_field`: "account" or "sku__account").

    The `account` query parameter is read by the params serializer (an
    `AccountReferenceField`); the account is resolved even when it is left out,
    so a caller with several accounts gets the 400 instead of a mix of them.
    """

    account_field = "account"
    account = django_filters.CharFilter(method="filter_account", help_text=ACCOUNT_HELP)

    @extend_schema_field({"type": "string", "maxLength": MAX_ACCOUNT_CHARS, "description": ACCOUNT_HELP})
    def filter_account(self, queryset, name, value):
        # Applied in filter_queryset below, named or not; the declared filter documents the parameter.
        return queryset

    def account_rows(self, account: Account | None) -> Q:
        """The rows of `account`; None (no account set up yet): the rows that belong to none."""
        if account is None:
            return Q(**{f"{self.account_field}__isnull": True})
        return Q(**{self.account_field: account})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        named = self.params.validated_data.get("account")
        if named in (None, "") and request_every_account(self.request):
            found = list(Account.objects.all()[:2])
            if len(found) < 2:
                # None: a new install lists (its API log, say) before its first account is added, not a 400.
                return queryset.filter(self.account_rows(found[0] if found else None))
        return queryset.filter(self.account_rows(request_account(self.request, named)))


class AccountParamsSerializer(serializers.Serializer):
    """The query string of an operation whose only parameter is the account."""

    account = AccountReferenceField()


class AccountBodySerializer(StrictRequestSerializer):
    # A request body whose only field is the account (left out: no body at all); a comment, not a docstring,
    # which the API docs would publish untranslated.

    account = AccountReferenceField()


def account_params_read(request: Any) -> Account:
    """The account of a GET operation without other parameters: `?account=`, checked as `request_account` does."""
    serializer = AccountParamsSerializer(data=request.query_params.dict())
    if not serializer.is_valid():
        raise QueryParamsInvalid(serializer.errors)
    return request_account(request, serializer.validated_data.get("account"))

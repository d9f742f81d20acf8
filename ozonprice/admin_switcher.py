"""The account switcher: a choice kept in the session that preselects the `account` filter of every list.

One piece for every list that shows an account's data: `AccountScopedAdminMixin`
adds the `account` filter (and, with more than one account, the column); the
header's selector (`ozonprice/templatetags/account_switcher.py`) posts to
`account_switch_view`, which stores the choice. An `account` in the URL wins
over the session; "all accounts" is a choice of its own (`?account=all`), so a
manager can leave the preselection for one list without losing it for the rest.

With one account nothing shows: no column, no filter, no selector; the lists
look as they did before accounts.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Case, CharField, Value, When
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from ozonprice.admin_base import AdminMixinBase
from ozonprice.inputs import is_ascii_digits
from ozonprice.models import Account

SESSION_KEY = "admin_account"
PARAMETER = "account"
ALL = "all"


def admin_accounts(request: HttpRequest) -> dict[int, str]:
    """Every account's name by id, read once per request (the header and the list both ask)."""
    cached = getattr(request, "_admin_accounts", None)
    if cached is None:
        cached = dict(Account.objects.order_by("name", "id").values_list("id", "name"))
        request._admin_accounts = cached  # type: ignore[attr-defined]
    return cached


def account_chosen(request: HttpRequest) -> int | None:
    """The account kept in the session, if it still exists and there is more than one; None: all accounts."""
    accounts = admin_accounts(request)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if len(accounts) < 2 or not isinstance(chosen, int) or chosen not in accounts:
        return None
    return chosen


def account_choose(request: HttpRequest, *, choice: str) -> None:
    """Keep `choice` (an account id, or "all") in the session; anything else is refused with ValueError."""
    accounts = admin_accounts(request)
    if choice == ALL:
        request.session.pop(SESSION_KEY, None)
        return
    if not is_ascii_digits(choice) or int(choice) not in accounts:
        raise ValueError(choice)
    request.session[SESSION_KEY] = int(choice)


def _without_account(url: str) -> str:
    # An explicit `account` in the URL wins over the session: switching drops it, or the switch would show nothing.
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


def account_switch_view(request: HttpRequest) -> HttpResponseRedirect:
    """POST `account` (an id or "all"), `next`: store the choice and go back where the manager was."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    if request.method == "POST":
        try:
            account_choose(request, choice=request.POST.get(PARAMETER, "").strip())
        except ValueError:
            pass  # a stale or forged choice: keep the one there was
    return HttpResponseRedirect(_without_account(target))


class AccountListFilter(admin.SimpleListFilter):
    """The account of the listed rows, preselected from the session; `path` leads from the row to its account."""

    title = _("account")
    parameter_name = PARAMETER
    path = "account"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.parameter_name not in self.used_parameters:
            chosen = account_chosen(request)
            if chosen is not None:
                self.used_parameters[self.parameter_name] = str(chosen)

    def lookups(self, request, model_admin):
        accounts = admin_accounts(request)
        # One account: nothing to choose, no filter shown (an `account` in the URL still works).
        return list(accounts.items()) if len(accounts) > 1 else []

    def choices(self, changelist):
        yield {
            "selected": self.value() in (None, ALL),
            "query_string": changelist.get_query_string({self.parameter_name: ALL}),
            "display": _("All accounts"),
        }
        for account_id, name in self.lookup_choices:
            yield {
                "selected": self.value() == str(account_id),
                "query_string": changelist.get_query_string({self.parameter_name: account_id}),
                "display": name,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in (None, ALL):
            return queryset
        if not is_ascii_digits(value):
            raise IncorrectLookupParameters(value)
        return queryset.filter(**{self.path: int(value)})


@functools.cache
def account_list_filter(path: str) -> type[AccountListFilter]:
    """The account filter for rows whose account is at `path` ("account", "sku__account")."""
    if path == AccountListFilter.path:
        return AccountListFilter
    return type(f"AccountListFilter_{path}", (AccountListFilter,), {"path": path})


class AccountScopedAdminMixin(AdminMixinBase):
    """A list of one account's data: the `account` filter always, the column with more than one account."""

    account_path = "account"
    # The column goes right after the first one (the row's link).
    account_column_at = 1

    def get_list_filter(self, request):
        return (account_list_filter(self.account_path), *super().get_list_filter(request))

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if len(admin_accounts(request)) > 1:
            shown.insert(self.account_column_at, "account_shown")
        return shown

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        accounts = admin_accounts(request)
        if len(accounts) > 1:
            # The name from the few accounts read once per request, by the row's account id: no join on the
            # accounts table (with it, SQLite's planner started from that table and sorted the whole list).
            queryset = queryset.annotate(
                account_name=Case(
                    *(When(**{f"{self.account_path}_id": pk}, then=Value(name)) for pk, name in accounts.items()),
                    default=Value(""),
                    output_field=CharField(),
                )
            )
        return queryset

    @admin.display(description=_("account"), ordering="account_name")
    def account_shown(self, obj) -> str:
        return getattr(obj, "account_name", None) or "—"

"""Which Ozon account a command, a task or a request means (SPEC §11).

One rule everywhere: an account is named by its id, its name or its Client-Id;
when none is named, the only one there is (or the only one the caller may use)
is meant; with several, the caller must name one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ozonprice.converters import INT64_MAX
from ozonprice.inputs import is_ascii_digits
from ozonprice.models import Account


class AccountError(ValueError):
    """The account named (or not named) cannot be used; the message says why, for the `account` field."""

    field = "account"


def account_run_name(job: str, account: Account | int) -> str:
    """One account's name of a job's schedule, slot claim, lease and recorded run: `<job>:<account id>`."""
    return f"{job}:{account if isinstance(account, int) else account.pk}"


def account_get(reference: int | str, *, among: QuerySet[Account] | None = None) -> Account:
    """The account with this id, name or Client-Id, among `among` (default: every account)."""
    accounts = Account.objects.all() if among is None else among
    text = str(reference).strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        # No account is named with control characters (PostgreSQL refuses a NUL in a query outright).
        raise AccountError(_("No account %(account)s.") % {"account": text.encode("unicode_escape").decode()})
    match = Q(name=text) | Q(client_id=text)
    # ASCII digits within 64 bits only: "²".isdigit() is true but int() refuses it; a longer number overflows.
    if is_ascii_digits(text) and int(text) <= INT64_MAX:
        match |= Q(pk=int(text))
    found = list(accounts.filter(match)[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        # An id that is also another account's name or Client-Id: the id wins, as in URLs.
        by_id = [account for account in found if str(account.pk) == text]
        if len(by_id) == 1:
            return by_id[0]
    raise AccountError(_("No account %(account)s.") % {"account": text} if text else _("Name an account."))


def account_resolve(reference: int | str | None = None, *, among: QuerySet[Account] | None = None) -> Account:
    """The account named, or the only one there is (among `among`); several and none named: an error."""
    accounts = Account.objects.all() if among is None else among
    if reference not in (None, ""):
        return account_get(reference, among=accounts)
    found = list(accounts[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise AccountError(_("No Ozon account is set up yet: add one in the admin (Ozon accounts)."))
    raise AccountError(_("Several accounts: name one (its id, name or Client-Id)."))


def accounts_named(references: Iterable[int | str] | None) -> list[Account]:
    """The accounts named, in order; none named: every active account (what a command runs over)."""
    names = [reference for reference in references or () if str(reference).strip()]
    if not names:
        return list(Account.objects.filter(active=True).order_by("id"))
    return [account_get(reference) for reference in names]

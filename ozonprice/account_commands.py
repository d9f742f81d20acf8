"""What every per-account management command shares: `--account` and one summary line per account.

None named: every active account, one after another; each account's line
starts with its name; any account failing makes the command fail (exit 1)
after the others have run, so one account's broken Ozon never hides the
others' results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ozonprice.accounts import AccountError, accounts_named
from ozonprice.models import Account


def account_argument_add(parser: CommandParser) -> None:
    parser.add_argument(
        "--account",
        action="append",
        dest="accounts",
        metavar="ACCOUNT",
        help="an account's id, name or Client-Id; repeatable; none: every active account",
    )


def accounts_run(
    command: BaseCommand,
    references: list[str] | None,
    run: Callable[[Account], Any],
    *,
    report: Callable[[Account, Any], None] | None = None,
) -> None:
    """`run(account)` for each account named (none: every active one); print `<name>: <summary>` per account.

    `report(account, result)` prints a run's own lines (its item errors, a dry
    run's plan) before its summary. A run that failed or was skipped (another
    run held the account's lease) is a failure: CommandError, naming each failed
    account's summary, once every account has run.
    """
    try:
        accounts = accounts_named(references)
    except AccountError as error:
        raise CommandError(str(error)) from error
    if not accounts:
        raise CommandError(_("No active Ozon account: add one in the admin (Ozon accounts)."))
    failed = []
    for account in accounts:
        result = run(account)
        if report is not None:
            report(account, result)
        line = f"{account.name}: {result.summary()}"
        if result.ok and not getattr(result, "skipped", False):
            command.stdout.write(line)
        else:
            command.stderr.write(line)
            failed.append(line)
    if failed:
        raise CommandError(_("Failed for: %(accounts)s") % {"accounts": "; ".join(failed)})

"""--account on the per-account commands: named accounts, or every active one; failures after the others ran."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ozonprice.account_commands import account_argument_add, accounts_run
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@dataclass
class Result:
    ok: bool
    text: str

    def summary(self) -> str:
        return self.text


class Command(BaseCommand):
    """A per-account command as ozon_sync is one: it records which accounts it ran, and fails for `failing`."""

    def __init__(self, failing=()):
        super().__init__()
        self.ran: list[str] = []
        self.failing = set(failing)

    def add_arguments(self, parser):
        account_argument_add(parser)

    def handle(self, *args, **options):
        accounts_run(self, options["accounts"], self.one)

    def one(self, account) -> Result:
        self.ran.append(account.name)
        if account.name in self.failing:
            return Result(ok=False, text="Ozon 503")
        return Result(ok=True, text="synced 2")


def run(command: Command, *arguments: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def accounts():
    return AccountFactory(name="Alpha", client_id="100001"), AccountFactory(name="Beta", client_id="100002")


def test_none_named_runs_every_active_account_in_order_one_line_each(accounts):
    AccountFactory(name="Paused", active=False)
    command = Command()

    out, err = run(command)

    assert command.ran == ["Alpha", "Beta"]
    assert out.splitlines() == ["Alpha: synced 2", "Beta: synced 2"] and err == ""


def test_accounts_are_named_by_id_name_or_client_id_and_the_option_repeats(accounts):
    alpha, beta = accounts
    for arguments in (["--account", "Beta"], ["--account", str(beta.pk)], ["--account", "100002"]):
        command = Command()
        run(command, *arguments)
        assert command.ran == ["Beta"], arguments

    command = Command()
    run(command, "--account", "Beta", "--account", str(alpha.pk))
    assert command.ran == ["Beta", "Alpha"]


def test_a_paused_account_runs_when_named(accounts):
    AccountFactory(name="Paused", active=False)
    command = Command()

    run(command, "--account", "Paused")

    assert command.ran == ["Paused"]


def test_a_failing_account_fails_the_command_after_the_others_ran(accounts):
    command = Command(failing=["Alpha"])
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="Failed for: Alpha"):
        call_command(command, stdout=out, stderr=err)

    assert command.ran == ["Alpha", "Beta"]  # Beta still ran
    assert out.getvalue().splitlines() == ["Beta: synced 2"]
    assert err.getvalue().splitlines() == ["Alpha: Ozon 503"]


def test_an_unknown_account_is_a_command_error_and_nothing_runs(accounts):
    command = Command()

    with pytest.raises(CommandError, match="No account Gamma"):
        run(command, "--account", "Beta", "--account", "Gamma")

    assert command.ran == []


def test_without_an_active_account_the_command_says_so():
    AccountFactory(active=False)

    with pytest.raises(CommandError, match="No active Ozon account"):
        run(Command())

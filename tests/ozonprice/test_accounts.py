"""Which account a command, task or request means: `ozonprice.accounts`."""

import pytest

from ozonprice.accounts import AccountError, account_get, account_resolve, accounts_named
from ozonprice.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    return (
        Account.objects.create(name="ИП Иванов", client_id="111"),
        Account.objects.create(name="Brand", client_id="222", active=False),
    )


def test_an_account_is_named_by_id_name_or_client_id(two):
    first, second = two
    assert account_get(first.pk) == first
    assert account_get(str(second.pk)) == second
    assert account_get("ИП Иванов") == first
    assert account_get("222") == second


def test_an_id_wins_over_another_accounts_client_id(two):
    first, _second = two
    third = Account.objects.create(name="Third", client_id=str(first.pk))
    assert account_get(first.pk) == first
    assert account_get("Third") == third


def test_an_unknown_account_is_an_error_for_the_account_field(two):
    with pytest.raises(AccountError, match="No account nope") as caught:
        account_get("nope")
    assert caught.value.field == "account"


def test_none_named_means_the_only_one_and_several_must_be_named(two):
    first, _second = two
    with pytest.raises(AccountError, match="Several accounts"):
        account_resolve()
    assert account_resolve(among=Account.objects.filter(pk=first.pk)) == first
    assert account_resolve("Brand").client_id == "222"


def test_no_account_at_all_says_how_to_add_one():
    with pytest.raises(AccountError, match="No Ozon account"):
        account_resolve()


def test_a_command_without_accounts_runs_every_active_one(two):
    first, second = two
    assert accounts_named(None) == [first]
    assert accounts_named(["222", "ИП Иванов"]) == [second, first]


@pytest.mark.parametrize("reference", ["a\x00b", "\x00", "name\x7f"])
def test_a_reference_with_control_characters_names_no_account(two, reference):
    with pytest.raises(AccountError, match="No account"):
        account_get(reference)

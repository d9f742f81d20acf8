"""Named API keys: create (validation naming the field), check (prefix, constant-time, revoked/expired), last use."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from ozonprice.keys import (
    api_key_accounts,
    api_key_check,
    api_key_create,
    api_key_find,
    api_key_refusal,
    api_key_revoke,
    api_key_used,
)
from ozonprice.models import ApiKey
from ozonprice.services import api_secret_hash
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_a_new_key_stores_its_prefix_and_hash_and_the_secret_finds_it():
    account = AccountFactory()

    key, secret = api_key_create(name="ImageStudio", scopes=["images"], accounts=[account], created_by="ops")

    key.refresh_from_db()
    assert len(secret) >= 43 and key.prefix == secret[: ApiKey.PREFIX_LENGTH]
    assert key.secret_hash == api_secret_hash(secret) and secret not in key.secret_hash
    assert (key.scopes, list(key.accounts.all()), key.created_by) == (["images"], [account], "ops")
    assert api_key_check(secret) == key
    assert api_key_check(secret + "x") is None and api_key_check("") is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "taken", "scopes": ["read"]}, "name"),
        ({"name": "new", "scopes": ["read", "admin"]}, "scopes"),
        ({"name": "new", "scopes": []}, "scopes"),
        ({"name": "new", "scopes": ["read"], "expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field(kwargs, field):
    api_key_create(name="taken", scopes=["read"])

    with pytest.raises(ValidationError) as refused:
        api_key_create(**kwargs)

    assert set(refused.value.message_dict) == {field}


def test_the_migrated_default_key_without_a_prefix_keeps_working():
    # As migration 0006 makes it: today's hash, prefix "", every scope, every account.
    old_secret = "the-single-shared-secret-of-before-issue-15-xxxxxxxx"
    ApiKey.objects.create(
        name="default", prefix="", secret_hash=api_secret_hash(old_secret), scopes=["read"], all_accounts=True
    )
    named, named_secret = api_key_create(name="ImageStudio", scopes=["images"])

    assert api_key_check(old_secret).name == "default"
    assert api_key_check(named_secret) == named


def test_a_revoked_key_and_an_expired_key_are_found_but_refused_saying_why():
    revoked, revoked_secret = api_key_create(name="old", scopes=["read"])
    expiring, expiring_secret = api_key_create(
        name="temp", scopes=["read"], expires_at=timezone.now() + timedelta(hours=1)
    )
    other, other_secret = api_key_create(name="other", scopes=["read"])

    api_key_revoke(key=revoked)
    later = timezone.now() + timedelta(hours=2)

    assert api_key_find(revoked_secret) == revoked and api_key_check(revoked_secret) is None
    assert api_key_refusal(revoked) == "This API key was revoked."
    assert api_key_refusal(expiring, now=later).startswith("This API key expired on ")
    assert api_key_refusal(expiring) == ""
    assert api_key_check(other_secret) == other


def test_revoking_twice_keeps_the_first_date():
    key, _secret = api_key_create(name="k", scopes=["read"])
    first = api_key_revoke(key=key).revoked_at

    assert api_key_revoke(key=key).revoked_at == first


def test_last_use_is_written_at_most_once_a_minute_per_key():
    key, _secret = api_key_create(name="k", scopes=["read"])
    now = timezone.now()
    stale = ApiKey.objects.get(pk=key.pk)  # another process's copy, loaded before the first write

    assert api_key_used(key=key, address="203.0.113.5", now=now) is True
    assert api_key_used(key=stale, address="198.51.100.1", now=now + timedelta(seconds=30)) is False
    assert api_key_used(key=key, address="198.51.100.1", now=now + timedelta(seconds=30)) is False
    key.refresh_from_db()
    assert (key.last_used_at, key.last_used_from) == (now, "203.0.113.5")

    assert api_key_used(key=key, address="198.51.100.1", now=now + timedelta(seconds=61)) is True
    key.refresh_from_db()
    assert key.last_used_from == "198.51.100.1"


def test_an_address_that_is_no_ip_is_stored_as_unknown():
    key, _secret = api_key_create(name="k", scopes=["read"])

    api_key_used(key=key, address="unknown")

    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_from is None


def test_a_key_acts_for_its_accounts_or_for_every_account():
    first, second = AccountFactory(), AccountFactory()
    limited, _secret = api_key_create(name="limited", scopes=["read"], accounts=[first])
    every, _secret = api_key_create(name="every", scopes=["read"], all_accounts=True)
    none, _secret = api_key_create(name="none", scopes=["read"])

    assert list(api_key_accounts(limited)) == [first]
    assert set(api_key_accounts(every)) == {first, second}
    assert list(api_key_accounts(none)) == []
    later = AccountFactory()
    assert later in api_key_accounts(every) and later not in api_key_accounts(limited)


# --- manage.py create_api_key ------------------------------------------------


def test_the_command_makes_a_named_key_for_the_accounts_given():
    AccountFactory(name="Ozon")
    brand = AccountFactory(name="Brand")
    out = StringIO()

    call_command(
        "create_api_key", "--name", "ImageStudio", "--scopes", "images", "--accounts", "Brand", "--expires",
        "2999-01-01", stdout=out,
    )  # fmt: skip

    secret = out.getvalue().strip().rsplit(" ", 1)[1]
    key = api_key_check(secret)
    assert (key.name, key.scopes, list(key.accounts.all())) == ("ImageStudio", ["images"], [brand])
    assert timezone.localtime(key.expires_at).date().isoformat() == "2999-01-01"  # midnight, local time


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "x", "--scopes", "read,everything"], "--scopes"),
        (["--name", "x", "--scopes", "read", "--accounts", "Nobody"], "--accounts"),
        (["--name", "x", "--scopes", "read", "--expires", "soon"], "--expires"),
        (["--scopes", "read"], "--name"),
    ],
)
def test_the_command_refuses_bad_options_naming_them(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *args, stdout=StringIO())

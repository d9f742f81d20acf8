"""Secrets at rest: Fernet tokens in the column, loud failure on a wrong key, rotation, checks."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ozonprice.checks import check_encryption_key, check_production_secrets
from ozonprice.fields import EncryptionKeyError
from ozonprice.models import Account, RuntimeSettings
from tests.factories import AccountFactory, account_default
from tests.ozonprice.test_migrations_accounts import BEFORE
from tests.ozonprice.test_migrations_accounts import _latest as latest
from tests.ozonprice.test_migrations_accounts import _migrate as migrate

pytestmark = pytest.mark.django_db

API_KEY = "plain-ozon-api-key-5a4b3c2d1e"
BOT_TOKEN = "123456:telegram-bot-token-abcdef"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_columns() -> tuple[str, str]:
    """The first account's Api-Key and the settings row's Telegram token, as stored."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM ozonprice_account ORDER BY id LIMIT 1")
        (api_key,) = cursor.fetchone()
        cursor.execute("SELECT telegram_bot_token FROM ozonprice_runtimesettings WHERE id = 1")
        (token,) = cursor.fetchone()
    return api_key, token


def store_secrets() -> Account:
    account = account_default()
    account.api_key = API_KEY
    account.save()
    runtime = RuntimeSettings.load()
    runtime.telegram_bot_token = BOT_TOKEN
    runtime.save()
    return account


def read_back() -> tuple[str, str]:
    return Account.objects.order_by("id").first().api_key, RuntimeSettings.objects.get(pk=1).telegram_bot_token


def test_the_raw_column_holds_no_plaintext_but_the_model_reads_it_back():
    store_secrets()

    raw_key, raw_token = raw_columns()

    assert API_KEY not in raw_key and BOT_TOKEN not in raw_token
    assert raw_key.startswith("gAAAA") and raw_token.startswith("gAAAA")  # Fernet tokens
    assert read_back() == (API_KEY, BOT_TOKEN)


def test_an_empty_secret_stays_empty_in_the_column():
    AccountFactory(api_key="")
    RuntimeSettings.load()

    assert raw_columns() == ("", "")
    assert read_back() == ("", "")


def test_a_wrong_key_raises_instead_of_handing_back_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    account = store_secrets()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(EncryptionKeyError) as error:
        Account.objects.get(pk=account.pk)

    assert "gAAAA" not in str(error.value)


def test_no_key_at_all_refuses_to_store_a_secret(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    account = Account(name="Brand LLC", client_id="900100", api_key=API_KEY)

    with pytest.raises(EncryptionKeyError, match="FIELD_ENCRYPTION_KEY is not set"):
        account.save()


def test_a_request_key_check_does_not_need_the_secrets_readable(settings, client):
    from ozonprice.keys import api_key_check
    from ozonprice.services import api_secret_generate

    secret = api_secret_generate()
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    store_secrets()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    assert api_key_check(secret) is not None


def test_rotation_re_encrypts_with_the_first_key_so_the_old_one_can_go(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    store_secrets()
    second = AccountFactory(api_key="second-accounts-api-key-0a1b2c3d")
    before = raw_columns()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()

    call_command("rotate_encryption_key", stdout=out)

    assert out.getvalue().strip() == "re-encrypted 3 stored secrets with the first key"
    assert raw_columns() != before
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert read_back() == (API_KEY, BOT_TOKEN)
    assert Account.objects.get(pk=second.pk).api_key == "second-accounts-api-key-0a1b2c3d"  # every account's
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    for model, pk in ((RuntimeSettings, 1), (Account, second.pk)):
        with pytest.raises(EncryptionKeyError):
            model.objects.get(pk=pk)


def test_rotation_without_the_old_key_fails_and_changes_nothing(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    store_secrets()
    before = raw_columns()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_encryption_key", stdout=StringIO())

    assert raw_columns() == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_plaintext_already_stored_and_is_idempotent():
    """0002 ran on the settings row, where the Api-Key lived before accounts (0005's shape)."""
    migration = importlib.import_module("ozonprice.migrations.0002_encrypt_secrets")
    old = migrate(BEFORE)
    try:
        old.get_model("ozonprice", "RuntimeSettings").objects.create(pk=1)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ozonprice_runtimesettings SET ozon_api_key = %s WHERE id = 1", [API_KEY])

        def stored() -> str:
            with connection.cursor() as cursor:
                cursor.execute("SELECT ozon_api_key FROM ozonprice_runtimesettings WHERE id = 1")
                return cursor.fetchone()[0]

        # The data step only uses the editor's connection.
        editor = SimpleNamespace(connection=connection)
        migration.encrypt_existing(old, editor)
        once = stored()
        migration.encrypt_existing(old, editor)

        assert API_KEY not in once and once.startswith("gAAAA")
        assert stored() == once
        assert old.get_model("ozonprice", "RuntimeSettings").objects.get(pk=1).ozon_api_key == API_KEY
        migration.decrypt_existing(old, editor)
        assert stored() == API_KEY
    finally:
        migrate(latest())


def test_a_malformed_key_is_a_system_check_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    assert [e.id for e in check_encryption_key(None)] == ["ozonprice.E002"]


def test_a_missing_key_warns_outside_debug_and_is_an_error_under_deploy(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.DEBUG = False

    assert [e.id for e in check_encryption_key(None)] == ["ozonprice.W001"]
    assert "ozonprice.E001" in [e.id for e in check_production_secrets(None)]


def test_the_development_secret_key_is_an_error_under_deploy(settings):
    settings.SECRET_KEY = "dev-only-secret-key-change-me-for-any-real-deployment-0123456789"

    assert "ozonprice.E003" in [e.id for e in check_production_secrets(None)]

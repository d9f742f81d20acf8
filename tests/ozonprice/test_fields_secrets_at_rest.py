"""Secrets at rest: Fernet tokens in the column, loud failure on a wrong key, rotation, checks."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ozonprice.checks import check_encryption_key, check_production_secrets
from ozonprice.fields import EncryptionKeyError
from ozonprice.models import RuntimeSettings

pytestmark = pytest.mark.django_db

API_KEY = "plain-ozon-api-key-5a4b3c2d1e"
BOT_TOKEN = "123456:telegram-bot-token-abcdef"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_columns() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ozon_api_key, telegram_bot_token FROM ozonprice_runtimesettings WHERE id = 1")
        return cursor.fetchone()


def store_secrets() -> None:
    runtime = RuntimeSettings.load()
    runtime.ozon_api_key = API_KEY
    runtime.telegram_bot_token = BOT_TOKEN
    runtime.save()


def test_the_raw_column_holds_no_plaintext_but_the_model_reads_it_back():
    store_secrets()

    raw_key, raw_token = raw_columns()

    assert API_KEY not in raw_key and BOT_TOKEN not in raw_token
    assert raw_key.startswith("gAAAA")  # a Fernet token
    fresh = RuntimeSettings.objects.get(pk=1)
    assert (fresh.ozon_api_key, fresh.telegram_bot_token) == (API_KEY, BOT_TOKEN)


def test_an_empty_secret_stays_empty_in_the_column():
    RuntimeSettings.load()

    assert raw_columns() == ("", "")
    assert RuntimeSettings.objects.get(pk=1).ozon_api_key == ""


def test_a_wrong_key_raises_instead_of_handing_back_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    store_secrets()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(EncryptionKeyError) as error:
        RuntimeSettings.objects.get(pk=1)

    assert "gAAAA" not in str(error.value)


def test_no_key_at_all_refuses_to_store_a_secret(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    runtime = RuntimeSettings.load()
    runtime.ozon_api_key = API_KEY

    with pytest.raises(EncryptionKeyError, match="FIELD_ENCRYPTION_KEY is not set"):
        runtime.save()


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
    before = raw_columns()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()

    call_command("rotate_encryption_key", stdout=out)

    assert out.getvalue().strip() == "re-encrypted 2 stored secrets with the first key"
    assert raw_columns() != before
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    fresh = RuntimeSettings.objects.get(pk=1)
    assert (fresh.ozon_api_key, fresh.telegram_bot_token) == (API_KEY, BOT_TOKEN)
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    with pytest.raises(EncryptionKeyError):
        RuntimeSettings.objects.get(pk=1)


def test_rotation_without_the_old_key_fails_and_changes_nothing(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    store_secrets()
    before = raw_columns()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_encryption_key", stdout=StringIO())

    assert raw_columns() == before


def test_the_migration_encrypts_plaintext_already_stored_and_is_idempotent():
    migration = importlib.import_module("ozonprice.migrations.0002_encrypt_secrets")
    RuntimeSettings.load()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ozonprice_runtimesettings SET ozon_api_key = %s WHERE id = 1", [API_KEY])

    # The data step only uses the editor's connection (SQLite allows no schema
    # editor inside the test's transaction).
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_existing(apps, editor)
    once = raw_columns()
    migration.encrypt_existing(apps, editor)

    assert API_KEY not in once[0]
    assert raw_columns() == once
    assert RuntimeSettings.objects.get(pk=1).ozon_api_key == API_KEY
    migration.decrypt_existing(apps, editor)
    assert raw_columns()[0] == API_KEY


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

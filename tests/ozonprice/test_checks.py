"""System checks: the encryption key, production secrets and the SSRF guard, each with its id."""

from cryptography.fernet import Fernet

from ozonprice.checks import check_encryption_key, check_outbound_guard, check_production_secrets


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_a_missing_key_warns_outside_debug_and_is_silent_in_debug(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.DEBUG = False
    assert ids(check_encryption_key(None)) == ["ozonprice.W001"]

    settings.DEBUG = True
    assert check_encryption_key(None) == []


def test_a_malformed_key_is_always_an_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    assert ids(check_encryption_key(None)) == ["ozonprice.E002"]


def test_a_good_key_passes(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    assert check_encryption_key(None) == []


def test_deploy_needs_a_key_and_a_real_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.SECRET_KEY = "dev-only-insecure"
    assert ids(check_production_secrets(None)) == ["ozonprice.E001", "ozonprice.E003"]

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY = "x" * 50
    assert check_production_secrets(None) == []


def test_the_ssrf_guard_off_is_a_deploy_warning(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    assert ids(check_outbound_guard(None)) == ["ozonprice.W002"]

    settings.OUTBOUND_ALLOW_PRIVATE = False
    assert check_outbound_guard(None) == []

"""The API-keys request shape: strict fields, accounts by id, name or Client-Id."""

import pytest

from ozonprice.serializers_keys import ApiKeyCreateSerializer
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_accounts_are_named_by_id_name_or_client_id():
    first, second, third = AccountFactory(), AccountFactory(), AccountFactory()
    serializer = ApiKeyCreateSerializer(
        data={"name": "k", "scopes": ["read"], "accounts": [first.pk, second.name, third.client_id]}
    )

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["accounts"] == [first, second, third]
    assert serializer.validated_data["all_accounts"] is False and serializer.validated_data["expires_at"] is None


@pytest.mark.parametrize("account", [True, None, 1.5, {"id": 1}])
def test_an_account_of_another_type_is_refused(account):
    serializer = ApiKeyCreateSerializer(data={"name": "k", "scopes": ["read"], "accounts": [account]})

    assert not serializer.is_valid() and "accounts" in serializer.errors

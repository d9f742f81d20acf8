"""The catalogue runs for an account: every database test here has the install's first account."""

import pytest


@pytest.fixture(autouse=True)
def first_account(request):
    """The first account (`account_default`), made before the test, as an install has one before it syncs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return None
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    from tests.factories import account_default

    return account_default()

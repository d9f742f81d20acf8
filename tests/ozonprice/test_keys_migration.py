"""Migrations 0006 and 0008: today's single secret becomes the key "default" and keeps working; backwards gives it back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ozonprice.keys import api_key_check
from ozonprice.services import api_secret_hash

BEFORE = [("ozonprice", "0005_task_run")]
DROPPED = [("ozonprice", "0008_drop_api_secret_hash")]
KEPT = [("ozonprice", "0006_accounts_and_keys")]
OLD_SECRET = "the-single-shared-secret-of-before-issue-15-xxxxxxxx"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_old_single_key_keeps_working_and_going_back_restores_the_column():
    try:
        old = _migrate(BEFORE)
        old.get_model("ozonprice", "RuntimeSettings").objects.create(
            pk=1, ozon_client_id="123456", api_secret_hash=api_secret_hash(OLD_SECRET)
        )

        new = _migrate(DROPPED)
        assert "api_secret_hash" not in {f.name for f in new.get_model("ozonprice", "RuntimeSettings")._meta.fields}
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        key = api_key_check(OLD_SECRET)
        assert (key.name, key.prefix, key.all_accounts) == ("default", "", True)

        back = _migrate(KEPT)
        row = back.get_model("ozonprice", "RuntimeSettings").objects.get(pk=1)
        assert row.api_secret_hash == api_secret_hash(OLD_SECRET)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

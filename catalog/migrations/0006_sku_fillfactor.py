"""PostgreSQL: leave half of each SKU page free, so that recording new prices is a HOT update.

Maintenance rewrites the price columns of up to 1000 SKUs per batch. None of
them is indexed, yet a row updated on a full page moves to another page and
every one of the table's twelve indexes gets a new entry for it. With room on
its own page the new version stays there and no index is written (a
heap-only-tuple update); the dead versions are pruned as pages are read. Half:
one batch rewrites every row of a page at once. The table is small next to
the history (a few hundred bytes per SKU). SQLite has no such setting.
"""

from django.db import migrations

FILLFACTOR = 50


def _fillfactor_set(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE catalog_sku SET (fillfactor = {FILLFACTOR})")


def _fillfactor_reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_sku RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_rename_marketing_price")]

    operations = [migrations.RunPython(_fillfactor_set, _fillfactor_reset, elidable=False)]

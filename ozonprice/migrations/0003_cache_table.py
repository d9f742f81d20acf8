"""The database cache table (throttle counters, health probe gate) comes with `migrate`.

`createcachetable` creates the table of every configured DatabaseCache and
does nothing for other backends (CACHE_URL=redis://…) or when it exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('ozonprice', '0002_encrypt_secrets'),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]

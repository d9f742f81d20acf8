from django.db import migrations


def default_key_hash_back(apps, schema_editor):
    """Backwards: the settings row gets the "default" key's hash again, so the old single key keeps working."""
    RuntimeSettings = apps.get_model("ozonprice", "RuntimeSettings")
    ApiKey = apps.get_model("ozonprice", "ApiKey")
    key = ApiKey.objects.filter(name="default", revoked_at__isnull=True).first()
    if key is not None:
        RuntimeSettings.objects.filter(pk=1).update(api_secret_hash=key.secret_hash)


class Migration(migrations.Migration):
    # The hash moved into the key named "default" (0006); nothing reads this column any more.
    dependencies = [
        ("ozonprice", "0007_account_settings_out"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, default_key_hash_back, elidable=False),
        migrations.RemoveField(model_name="runtimesettings", name="api_secret_hash"),
    ]

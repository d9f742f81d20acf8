# The column held Ozon's marketing_seller_price under another name; renamed, values kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_storefront_guard_settings"),
    ]

    operations = [
        migrations.RenameField(model_name="sku", old_name="marketing_price", new_name="marketing_seller_price"),
    ]

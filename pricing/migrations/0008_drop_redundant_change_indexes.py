"""Drop four single-column indexes no query needs: every index is one more write per row.

`PriceChange.sku` and `PriceHistory.sku` lead the composite indexes
`(sku, status)` and `(sku, -timestamp)`; nothing looks changes up by `sent_at`
or history rows up by `change` (neither table is ever deleted from). The
`status` index becomes a plain one declared in Meta: on PostgreSQL `db_index`
added a second, LIKE-pattern index that no query uses. Only the indexes change: Django's own `AlterField` would rebuild both tables on SQLite (a
copy of the whole history) for a change that touches no column.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (("pricechange", "status"), ("pricechange", "sent_at"), ("pricechange", "sku"), ("pricehistory", "change"), ("pricehistory", "sku"))


def _indexes_drop(apps, schema_editor):
    for model_name, field_name in INDEXES:
        model = apps.get_model("pricing", model_name)
        column = model._meta.get_field(field_name).column
        # The single-column indexes on this column only (not the composite ones, not a constraint).
        names = schema_editor._constraint_names(
            model, [column], index=True, type_=models.Index.suffix, unique=False, primary_key=False
        )
        for name in names:  # on PostgreSQL, `status` has two: the plain one and its LIKE twin
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def _indexes_create(apps, schema_editor):
    for model_name, field_name in INDEXES:
        model = apps.get_model("pricing", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        like = getattr(schema_editor, "_create_like_index_sql", None)  # PostgreSQL, for a CharField
        if like is not None and (statement := like(model, field)) is not None:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_rename_marketing_price"),
        ("pricing", "0007_admin_job_image_push"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pricechange",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("planned", "planned"),
                            ("held", "awaiting approval (quarantine)"),
                            ("sent", "sent"),
                            ("unknown", "sent, no answer: awaiting Ozon"),
                            ("applied", "applied by Ozon"),
                            ("confirmed", "confirmed on the showcase"),
                            ("rejected", "rejected by Ozon"),
                            ("failed", "failed"),
                        ],
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                migrations.AlterField(
                    model_name="pricechange",
                    name="sent_at",
                    field=models.DateTimeField(blank=True, null=True, verbose_name="sent"),
                ),
                migrations.AlterField(
                    model_name="pricechange",
                    name="sku",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="price_changes",
                        to="catalog.sku",
                        verbose_name="SKU",
                    ),
                ),
                migrations.AlterField(
                    model_name="pricehistory",
                    name="change",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="pricing.pricechange",
                        verbose_name="change",
                    ),
                ),
                migrations.AlterField(
                    model_name="pricehistory",
                    name="sku",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="price_history",
                        to="catalog.sku",
                        verbose_name="SKU",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_indexes_drop, _indexes_create, elidable=False)],
        ),
        migrations.AddIndex(
            model_name="pricechange",
            index=models.Index(fields=["status"], name="pricechange_status_idx"),
        ),
    ]

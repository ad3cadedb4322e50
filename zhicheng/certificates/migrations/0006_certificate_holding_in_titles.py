"""The certificate's 取得职称 now lives in the ``titles`` app (same table, see ``titles.0001``):
the foreign key follows in the migration state only — the column and its constraint already
point at ``applications_titleholding``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_certificate_view_own"),
        ("titles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="certificate",
                    name="holding",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificate",
                        to="titles.titleholding",
                        verbose_name="取得职称",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

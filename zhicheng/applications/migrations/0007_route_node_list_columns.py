"""The 1.12 query's filter and order columns copied onto the scope nodes, and the index that
lists an organization's nodes newest first with them (replacing app_node_org)."""

import django.db.models.deletion
from django.db import migrations, models

# Standard UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
BACKFILL = """
UPDATE applications_applicationroutenode
SET person_id = a.person_id, title_id = a.title_id, acquisition_method = a.acquisition_method,
    level = a.level, year = a.year, submitted_at = a.submitted_at
FROM applications_application a
WHERE a.id = applications_applicationroutenode.application_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_year_status_order_indexes"),
        ("catalog", "0002_standard_catalog"),
        ("orgs", "0002_typeahead_search_indexes"),
        ("persons", "0002_name_search_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="applicationroutenode",
            name="app_node_org",
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="acquisition_method",
            field=models.CharField(blank=True, max_length=32, verbose_name="取得方式"),
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="level",
            field=models.CharField(blank=True, max_length=16, verbose_name="级别"),
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="persons.person",
            ),
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="提交时间"),
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="title",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.title",
            ),
        ),
        migrations.AddField(
            model_name="applicationroutenode",
            name="year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="年度"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="applicationroutenode",
            index=models.Index(
                fields=["organization", "-submitted_at", "-application"],
                include=("acquisition_method", "level", "year", "title", "person"),
                name="app_node_org_order",
            ),
        ),
    ]

"""``TitleHolding`` moves here from ``applications`` without touching the database.

The model keeps its table (``db_table = "applications_titleholding"``), so this migration only
adds it to the migration state (``SeparateDatabaseAndState`` with no database operation);
``applications.0009`` removes it from that app's state once ``certificates.0006`` points the
certificate's foreign key here. No row is copied, on SQLite or PostgreSQL.

The content type row is renamed too (``applications.titleholding`` → ``titles.titleholding``),
so the operation log's earlier entries and the model permissions stay attached to the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def _rename_content_type(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if types.filter(app_label=new, model="titleholding").exists():
        return
    types.filter(app_label=old, model="titleholding").update(app_label=new)


def forwards(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "applications", "titles")


def backwards(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "titles", "applications")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0008_route_node_year_index"),
        ("catalog", "0002_standard_catalog"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0002_typeahead_search_indexes"),
        ("persons", "0002_name_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TitleHolding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("senior_full", "正高级"),
                                    ("senior_deputy", "副高级"),
                                    ("intermediate", "中级"),
                                    ("assistant", "助理级"),
                                    ("junior", "员级"),
                                ],
                                max_length=16,
                                verbose_name="职称级别",
                            ),
                        ),
                        (
                            "acquisition_method",
                            models.CharField(
                                choices=[
                                    ("evaluation", "评审"),
                                    ("exam", "考试"),
                                    ("exam_evaluation", "考评结合"),
                                    ("initial", "初定"),
                                    ("recognition", "认定"),
                                ],
                                max_length=32,
                                verbose_name="取得方式",
                            ),
                        ),
                        ("approved_on", models.DateField(verbose_name="批准日期")),
                        (
                            "document_number",
                            models.CharField(blank=True, max_length=100, verbose_name="文号"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="登记时间"),
                        ),
                        (
                            "application",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="title_holding",
                                to="applications.application",
                                verbose_name="来源申报",
                            ),
                        ),
                        (
                            "approving_organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="orgs.organization",
                                verbose_name="批准机构",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="title_holdings",
                                to="persons.person",
                                verbose_name="人员",
                            ),
                        ),
                        (
                            "specialty",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="catalog.specialty",
                                verbose_name="专业",
                            ),
                        ),
                        (
                            "title",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="catalog.title",
                                verbose_name="职称",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "取得职称",
                        "verbose_name_plural": "取得职称",
                        "ordering": ["-approved_on", "-pk"],
                        "db_table": "applications_titleholding",
                        "indexes": [
                            models.Index(fields=["person", "title"], name="holding_person_title")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""Route nodes become the applications' scope closure: besides the organizations on the route
(with their level), every ancestor of one (level empty). The officers' scope is then one
indexed equality instead of a path prefix through a join. Existing applications get their
ancestor nodes here."""

import itertools

from django.db import migrations, models

STEPLEN = 4  # django-treebeard's MP_Node.steplen, as Organization uses it


def add_ancestor_nodes(apps, schema_editor):
    Node = apps.get_model("applications", "ApplicationRouteNode")
    Organization = apps.get_model("orgs", "Organization")
    path_of = dict(Organization.objects.values_list("pk", "path"))
    id_of = {path: pk for pk, path in path_of.items()}
    rows = (
        Node.objects.order_by("application_id")
        .values_list("application_id", "organization_id")
        .iterator(chunk_size=10_000)
    )
    new = []
    for app_id, group in itertools.groupby(rows, key=lambda row: row[0]):
        org_ids = {org_id for _, org_id in group}
        ancestors = {
            id_of[path[:end]]
            for org_id in org_ids
            if (path := path_of.get(org_id))
            for end in range(STEPLEN, len(path), STEPLEN)
            if path[:end] in id_of
        }
        new += [
            Node(application_id=app_id, organization_id=pk, position=None)
            for pk in ancestors - org_ids
        ]
        if len(new) >= 5000:
            Node.objects.bulk_create(new, ignore_conflicts=True)
            new = []
    Node.objects.bulk_create(new, ignore_conflicts=True)


def drop_ancestor_nodes(apps, schema_editor):
    apps.get_model("applications", "ApplicationRouteNode").objects.filter(
        position__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_initial_determination_rules"),
        ("orgs", "0002_typeahead_search_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationroutenode",
            name="position",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="审核路径上的层级；上级机构（不在路径上）为空",
                null=True,
                verbose_name="层级",
            ),
        ),
        migrations.RunPython(add_ancestor_nodes, drop_ancestor_nodes),
    ]

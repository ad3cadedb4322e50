"""Moving ``TitleHolding`` to this app moves no data: a database at the state before the move,
with a holding and an operation log entry about it, keeps both after migrating to the end (and
back), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhicheng.titles.models import TitleHolding

# The leaves of the graph before the move (main before issue 11's titles step).
BEFORE = [
    ("titles", None),
    ("applications", "0008_route_node_year_index"),
    ("certificates", "0005_certificate_view_own"),
]
BEFORE_STATE = [target for target in BEFORE if target[1] is not None]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_holding_made_before_the_move_is_still_there_after_it(reseeded, orgs, make_applicant):
    person = make_applicant("张伟")
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state(BEFORE_STATE).apps
        holding_model = old.get_model("applications", "TitleHolding")
        title = old.get_model("catalog", "Title").objects.get(name="助理工程师")
        holding = holding_model.objects.create(
            person_id=person.pk,
            title_id=title.pk,
            level="assistant",
            acquisition_method="initial",
            approved_on=dt.date(2026, 3, 1),
            approving_organization_id=orgs["city_nj"].pk,
            document_number="苏人社〔2026〕1号",
        )
        # contenttypes and auditlog are outside these apps' history: their tables do not change
        old_type = ContentType.objects.get(app_label="applications", model="titleholding")
        entry = LogEntry.objects.create(
            content_type_id=old_type.pk,
            object_pk=str(holding.pk),
            object_id=holding.pk,
            object_repr="张伟 助理工程师（初定）",
            action=0,
            changes={},
        )
    finally:
        _migrate(_latest())

    moved = TitleHolding.objects.get(pk=holding.pk)
    assert (moved.person_id, moved.title_id, moved.document_number) == (
        person.pk,
        title.pk,
        "苏人社〔2026〕1号",
    )
    assert not moved.is_revoked
    new_type = ContentType.objects.get_for_model(TitleHolding)
    assert new_type.pk == old_type.pk and new_type.app_label == "titles"
    assert not ContentType.objects.filter(app_label="applications", model="titleholding").exists()
    assert LogEntry.objects.get(pk=entry.pk).content_type == new_type

    # and back: the row survives the reverse migration too
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state(BEFORE_STATE).apps
        assert old.get_model("applications", "TitleHolding").objects.filter(pk=holding.pk).exists()
        assert ContentType.objects.get(pk=old_type.pk).app_label == "applications"
    finally:
        _migrate(_latest())

"""The workflow kernel, table-driven over every status-bearing model: for each model, every
(status, action, target) the table allows moves, every other is refused, and a refusal changes
nothing — in memory, in the database and in the operation log."""

import itertools

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import transaction

from zhicheng.applications.models import Application
from zhicheng.blacklist.models import BlacklistEntry
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    IssuingUnit,
    NationalReport,
)
from zhicheng.committees.models import Committee
from zhicheng.common.workflow import (
    TransitionRefused,
    Workflow,
    transition,
    transitions_write,
    workflow_of,
)
from zhicheng.orgs.models import Organization
from zhicheng.plans.models import EvaluationPlan
from zhicheng.routing.models import AcceptanceOffice, RouteEdge
from zhicheng.tabular.models import ExportJob, ExportStatus, ImportBatch, ImportStatus

EXPECTED = {
    Application,
    EvaluationPlan,
    Certificate,
    CertificateNumber,
    NationalReport,
    BlacklistEntry,
    Organization,
    Committee,
    IssuingUnit,
    AcceptanceOffice,
    RouteEdge,
    ImportBatch,
    ExportJob,
}


def _workflow_models():
    return [m for m in apps.get_models() if isinstance(getattr(m, "workflow", None), Workflow)]


def _statuses(model) -> list[str]:
    return [value for value, _ in model._meta.get_field(workflow_of(model).field).choices]


def test_every_status_bearing_model_declares_its_table():
    with_status = {
        m for m in apps.get_models() if "status" in {f.name for f in m._meta.concrete_fields}
    }
    assert with_status <= set(_workflow_models())
    assert set(_workflow_models()) >= EXPECTED


@pytest.mark.parametrize(
    "model", sorted(EXPECTED, key=lambda m: m.__name__), ids=lambda m: m.__name__
)
def test_the_table_covers_exactly_the_statuses(model):
    workflow = workflow_of(model)
    assert set(workflow.table) == set(_statuses(model))
    assert workflow.statuses() <= set(_statuses(model))


def _cases():
    for model in sorted(EXPECTED, key=lambda m: m.__name__):
        workflow = workflow_of(model)
        actions = sorted(workflow.actions()) + ["nonsense"]
        for status, action, to in itertools.product(_statuses(model), actions, _statuses(model)):
            yield pytest.param(
                model, status, action, to, id=f"{model.__name__}-{status}-{action}-{to}"
            )


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "status", "action", "to"), list(_cases()))
def test_every_move_of_every_model(model, status, action, to):
    workflow = workflow_of(model)
    obj = model(**{workflow.field: status})
    with transaction.atomic():
        if workflow.allows(status, action, to):
            step = transition(obj, action, actor=None, to=to, save=False)
            assert getattr(obj, workflow.field) == to
            assert (step.from_status, step.to, step.written) == (status, to, False)
        else:
            with pytest.raises(TransitionRefused) as refused:
                transition(obj, action, actor=None, to=to, values={"pk": -1}, save=False)
            assert getattr(obj, workflow.field) == status and obj.pk is None
            assert refused.value.message  # the model's Chinese sentence
            assert not refused.value.message.isascii()


@pytest.mark.django_db(transaction=True)
def test_a_status_moves_only_inside_a_transaction():
    batch = ImportBatch(status=ImportStatus.PREVIEWED)
    with pytest.raises(RuntimeError, match="transaction"):
        transition(batch, "commit", actor=None, save=False)
    assert batch.status == ImportStatus.PREVIEWED


@pytest.mark.django_db
def test_an_action_with_several_targets_needs_to():
    app = Application(status="under_review", version=1)
    with transaction.atomic(), pytest.raises(ValueError):
        transition(app, "approve", actor=None, save=False)


# --- the writes, on real rows -----------------------------------------------------------------


@pytest.fixture
def actor(django_user_model):
    return django_user_model.objects.create(username="kernel", real_name="内核")


@pytest.mark.django_db(transaction=True)
def test_an_allowed_move_writes_status_fields_log_and_runs_side_effects_after_commit(actor):
    batch = ImportBatch.objects.create(key="orgs", actor=actor)
    ran = []
    with transaction.atomic():
        transition(
            batch,
            "commit",
            actor=actor,
            values={"committed_count": 3},
            summary="导入机构：3条",
            operation="import",
            on_commit=lambda: ran.append(ImportBatch.objects.get(pk=batch.pk).status),
        )
        assert ran == []  # not before the commit
    assert ran == [ImportStatus.COMMITTED]
    batch.refresh_from_db()
    assert (batch.status, batch.committed_count) == (ImportStatus.COMMITTED, 3)
    entry = LogEntry.objects.get(additional_data__operation="import", object_pk=str(batch.pk))
    assert entry.additional_data["summary"] == "导入机构：3条" and entry.actor == actor


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ExportStatus.values))
def test_a_refused_move_changes_nothing_in_the_database(actor, status):
    job = ExportJob.objects.create(key="orgs", actor=actor, status=status)
    logged = LogEntry.objects.count()
    for action in sorted(ExportJob.workflow.actions()):
        for to in ExportStatus.values:
            if ExportJob.workflow.allows(status, action, to):
                continue
            with transaction.atomic(), pytest.raises(TransitionRefused):
                transition(job, action, actor=actor, to=to, values={"error": "x"}, summary="s")
            job.refresh_from_db()
            assert (job.status, job.error) == (status, "")
    assert LogEntry.objects.count() == logged


@pytest.mark.django_db
def test_many_steps_are_written_at_once_with_one_log_entry(actor):
    jobs = [ExportJob.objects.create(key="orgs", actor=actor) for _ in range(3)]
    logged = LogEntry.objects.count()
    with transaction.atomic():
        steps = [transition(job, "start", actor=actor, save=False) for job in jobs]
        transitions_write(steps, fields=["status"], actor=actor, operation="export", summary="批量")
    assert set(ExportJob.objects.values_list("status", flat=True)) == {ExportStatus.RUNNING}
    assert LogEntry.objects.count() == logged + 1

"""退回补正 with modules and a deadline, 视为放弃 by the scheduled job, 受理号, and the
applicant's 消息 (issue 14)."""

import datetime as dt

import pytest
from django.core.management import call_command

from zhicheng.applications import services
from zhicheng.applications.models import (
    ApplicationStatus,
    AttachmentCategory,
    ReturnModule,
    ReviewAction,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.common.workdays import add_workdays
from zhicheng.inbox.models import Message, MessageKind

from .conftest import upload

S = ApplicationStatus


def _returned(world, submitted, **kwargs):
    kwargs.setdefault("modules", [ReturnModule.EDUCATION])
    kwargs.setdefault("deadline", world.today + dt.timedelta(days=7))
    return services.application_return(
        actor=world.officers["unit_a"],
        application=submitted("evaluation"),
        opinion="学历证书不清晰，请重新上传",
        **kwargs,
    )


def test_a_return_names_modules_and_a_deadline_and_tells_the_applicant(world, submitted):
    app = _returned(world, submitted, modules=["papers", "education"], deadline=None)
    app.refresh_from_db()
    assert app.status == S.RETURNED
    assert app.return_modules == ["education", "papers"]  # in the table's order
    # 10 working days from tomorrow on the Chinese calendar (or Monday–Friday past it).
    assert app.correction_deadline > world.today
    record = app.review_records.order_by("-pk").first()
    assert record.modules == ["education", "papers"]
    assert record.deadline == app.correction_deadline
    message = Message.objects.get(recipient=world.applicant, kind=MessageKind.RETURN)
    assert "学历、论文" in message.body
    assert f"{app.correction_deadline:%Y-%m-%d}" in message.body
    assert message.link == f"/applications/{app.pk}/"


def test_the_deadline_in_working_days_counts_from_tomorrow(world, submitted):
    try:
        expected = add_workdays(world.today + dt.timedelta(days=1), 5)
    except ApplicationError:
        pytest.skip("the holiday calendar does not know this year")
    app = _returned(world, submitted, deadline=None, deadline_workdays=5)
    assert app.correction_deadline == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deadline": dt.date(2020, 1, 2)}, "补正期限（2020-01-02）已过或为今天"),
        ({"deadline_workdays": 0}, "补正期限应为1至60个工作日"),
        ({"deadline_workdays": 61}, "补正期限应为1至60个工作日"),
        ({"modules": ["salary"]}, "补正模块的取值无效"),
    ],
)
def test_a_bad_return_is_refused_and_nothing_is_written(world, submitted, kwargs, message):
    app = submitted("evaluation")
    before = (app.version, app.review_records.count())
    with pytest.raises(ApplicationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.application_return(
            actor=world.officers["unit_a"], application=app, opinion="补正", **kwargs
        )
    app.refresh_from_db()
    assert (app.status, app.version, app.review_records.count()) == (S.UNDER_REVIEW, *before)
    assert not Message.objects.filter(kind=MessageKind.RETURN).exists()


def test_a_deadline_of_today_is_refused(world, submitted):
    with pytest.raises(ApplicationError, match="已过或为今天"):
        _returned(world, submitted, deadline=world.today)


def test_only_the_named_modules_can_be_edited(world, submitted):
    app = _returned(world, submitted)
    applicant = world.applicant
    app = services.application_update(actor=applicant, application=app, school="东南大学")
    assert app.school == "东南大学"
    # The same values again (a form posting every field) are no change.
    services.application_update(
        actor=applicant, application=app, work_start_date=app.work_start_date
    )
    with pytest.raises(ApplicationError, match="参加工作时间不在补正范围内"):
        services.application_update(
            actor=applicant, application=app, work_start_date=dt.date(2016, 1, 1)
        )
    with pytest.raises(ApplicationError, match="工作经历不在补正范围内"):
        services.application_update(
            actor=applicant,
            application=app,
            work_experiences=[{"start_date": dt.date(2016, 1, 1), "organization_name": "别处"}],
        )
    services.attachment_add(
        actor=applicant, application=app, category=AttachmentCategory.DIPLOMA, upload=upload()
    )
    with pytest.raises(ApplicationError, match="“业绩材料”不在补正范围内"):
        services.attachment_add(
            actor=applicant,
            application=app,
            category=AttachmentCategory.PERFORMANCE,
            upload=upload(),
        )
    id_card = app.attachments.get(category=AttachmentCategory.ID_CARD)
    with pytest.raises(ApplicationError, match="“身份证”不在补正范围内"):
        services.attachment_delete(actor=applicant, attachment=id_card)


def test_a_return_without_modules_leaves_everything_editable(world, submitted):
    app = _returned(world, submitted, modules=[])
    app = services.application_update(
        actor=world.applicant, application=app, work_start_date=dt.date(2016, 1, 1)
    )
    assert app.work_start_date == dt.date(2016, 1, 1)


def test_resubmission_spends_the_modules_and_the_deadline(world, submitted):
    app = _returned(world, submitted)
    app = services.application_resubmit(actor=world.applicant, application=app)
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW
    assert (app.return_modules, app.correction_deadline) == ([], None)


def test_a_superior_return_carries_its_modules_down_to_the_applicant(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a")
    services.application_return(
        actor=world.officers["dept_jn_it"],
        application=app,
        opinion="论文材料不全",
        modules=[ReturnModule.PAPERS],
        deadline_workdays=3,
    )
    app = services.application_return_for_supplement(
        actor=world.officers["unit_a"], application=app
    )
    app.refresh_from_db()
    assert app.status == S.RETURNED
    assert app.return_modules == ["papers"]
    assert app.correction_deadline is not None


def test_the_job_warns_a_day_before_and_then_makes_it_abandoned(world, submitted):
    app = _returned(world, submitted)
    deadline = app.correction_deadline
    # Two days before: nothing yet.
    outcome = services.application_deadlines_run(today=deadline - dt.timedelta(days=2))
    assert (outcome.warned, outcome.expired) == ([], [])
    # The day before: one warning, once however often the job runs.
    for _ in range(2):
        services.application_deadlines_run(today=deadline - dt.timedelta(days=1))
    warnings = Message.objects.filter(recipient=world.applicant, kind=MessageKind.DEADLINE)
    assert warnings.count() == 1
    assert f"{deadline:%Y-%m-%d}" in warnings.get().title
    # On the deadline day it may still be resubmitted: not expired.
    assert services.application_deadlines_run(today=deadline).expired == []
    # The day after: 视为放弃, through the workflow, by the system.
    outcome = services.application_deadlines_run(today=deadline + dt.timedelta(days=1))
    assert outcome.expired == [app.pk]
    app.refresh_from_db()
    assert app.status == S.ABANDONED
    record = app.review_records.order_by("-pk").first()
    assert (record.action, record.actor_id, record.actor_name) == (
        ReviewAction.EXPIRE,
        None,
        "系统",
    )
    assert record.reviewer_name == "系统"
    assert Message.objects.filter(
        recipient=world.applicant, kind=MessageKind.RESULT, title__contains="视为放弃"
    ).exists()
    # Idempotent.
    assert services.application_deadlines_run(today=deadline + dt.timedelta(days=2)).expired == []


def test_resubmitting_after_the_deadline_is_refused(world, submitted, monkeypatch):
    app = _returned(world, submitted)
    later = app.correction_deadline + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: later)
    with pytest.raises(ApplicationError, match="补正期限（.*）已过，不能重新提交"):
        services.application_resubmit(actor=world.applicant, application=app)


def test_an_application_not_yet_due_is_not_expired(world, submitted):
    app = _returned(world, submitted)
    with pytest.raises(ApplicationError, match="补正期限未到"):
        services.application_expire(application=app, today=app.correction_deadline)


def test_the_command_runs_the_job(world, submitted, capsys):
    app = _returned(world, submitted)
    call_command(
        "application_deadlines",
        today=f"{app.correction_deadline + dt.timedelta(days=1):%Y-%m-%d}",
    )
    assert "视为放弃 1 件" in capsys.readouterr().out
    app.refresh_from_db()
    assert app.status == S.ABANDONED


def test_an_abandoned_application_does_not_block_a_new_one(world, submitted, draft):
    app = _returned(world, submitted)
    services.application_expire(application=app, today=app.correction_deadline + dt.timedelta(1))
    assert draft("evaluation").status == S.DRAFT


def test_the_acceptance_number_is_given_at_the_first_hr_level(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it")
    app.refresh_from_db()
    assert app.acceptance_number is None  # employer and 主管部门 do not accept
    app = climb(app, "county_jn")
    app.refresh_from_db()
    assert app.acceptance_number == f"SL{app.year}{app.pk:08d}"
    record = app.review_records.order_by("-pk").first()
    assert record.acceptance_number == app.acceptance_number
    app = climb(app, "city_nj")
    app.refresh_from_db()
    assert app.acceptance_number == f"SL{app.year}{app.pk:08d}"  # kept, given once
    assert app.review_records.exclude(acceptance_number="").count() == 1


def test_initial_determination_is_accepted_by_its_acceptance_office(world, submitted, climb):
    app = climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn")
    app.refresh_from_db()
    assert app.acceptance_number is None  # the county is not the office
    app = climb(app, "city_nj")
    app.refresh_from_db()
    assert app.acceptance_number.startswith("SL")


def test_batch_approval_gives_acceptance_numbers_and_messages(world, submitted, climb):
    apps = [climb(submitted("evaluation"), "unit_a", "dept_jn_it")]
    Message.objects.all().delete()
    outcome = services.application_batch_approve(
        actor=world.officers["county_jn"], items=[(a.pk, a.version) for a in apps]
    )
    assert len(outcome.approved) == 1
    apps[0].refresh_from_db()
    assert apps[0].acceptance_number
    message = Message.objects.get(recipient=world.applicant)
    assert message.kind == MessageKind.APPROVAL
    assert apps[0].acceptance_number in message.body


def test_each_approval_and_the_result_reach_the_applicant(world, submitted, climb):
    climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
    kinds = list(
        Message.objects.filter(recipient=world.applicant)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [MessageKind.APPROVAL] * 3 + [MessageKind.RESULT]

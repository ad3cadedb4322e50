"""单位内部公示 before a unit recommends (approves): ≥ 5 working days, the result uploaded after
the period, the approval refused until then; nobody reviews their own application."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.applications import services as application_services
from zhicheng.applications.models import ApplicationStatus
from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes
from zhicheng.units import services
from zhicheng.units.models import UnitPublicity

MONDAY = dt.date(2025, 3, 3)  # a plain working week: 3–7 March 2025


@pytest.fixture
def on_day(monkeypatch):
    def move(day: dt.date) -> None:
        monkeypatch.setattr(workdays, "today", lambda: day)

    return move


def scan():
    return SimpleUploadedFile("公示结果.pdf", pdf_bytes(), "application/pdf")


@pytest.fixture
def waiting(submitted):
    return submitted("initial")


@pytest.mark.unit_publicity
def test_the_unit_cannot_recommend_before_an_internal_publicity(world, waiting):
    with pytest.raises(ApplicationError, match="单位内部公示"):
        application_services.application_approve(
            actor=world.officers["unit_a"], application=waiting
        )
    waiting.refresh_from_db()
    assert waiting.route_position == 0


def test_older_tests_approve_without_publicity(world, waiting):
    outcome = application_services.application_approve(
        actor=world.officers["unit_a"], application=waiting
    )
    assert outcome.application.route_position == 1


def test_a_publicity_shorter_than_five_working_days_is_refused(world, waiting, on_day):
    on_day(MONDAY)
    with pytest.raises(ApplicationError, match="只有4个工作日，结束日期最早为2025-03-07"):
        services.unit_publicity_create(
            actor=world.officers["unit_a"],
            applications=[waiting.pk],
            starts_on=MONDAY,
            ends_on=MONDAY + dt.timedelta(days=3),
        )
    assert not UnitPublicity.objects.exists()


def test_end_before_start_is_refused(world, waiting, on_day):
    on_day(MONDAY)
    with pytest.raises(ApplicationError, match="不能早于开始日期"):
        services.unit_publicity_create(
            actor=world.officers["unit_a"],
            applications=[waiting.pk],
            starts_on=MONDAY,
            ends_on=MONDAY - dt.timedelta(days=1),
        )


def test_only_applications_waiting_at_the_unit_can_be_publicized(
    world, waiting, make_user, orgs, on_day
):
    from zhicheng.accounts.roles import Role

    on_day(MONDAY)
    other = make_user(orgs["unit_b"], Role.EMPLOYER_OFFICER, username="t_unit_b")
    with pytest.raises(ApplicationError, match="不在本单位待审核"):
        services.unit_publicity_create(
            actor=other,
            applications=[waiting.pk],
            starts_on=MONDAY,
            ends_on=MONDAY + dt.timedelta(days=4),
        )


@pytest.mark.unit_publicity
def test_publicity_then_result_then_recommendation(world, waiting, on_day):
    officer = world.officers["unit_a"]
    on_day(MONDAY)
    publicity = services.unit_publicity_create(
        actor=officer,
        applications=[waiting.pk],
        starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=4),
    )
    # During the period: no result, no recommendation.
    with pytest.raises(ApplicationError, match="期满后"):
        services.unit_publicity_result_upload(
            actor=officer, publicity=publicity, upload=scan(), recommendation="同意推荐"
        )
    with pytest.raises(ApplicationError, match="公示期至2025-03-07"):
        application_services.application_approve(actor=officer, application=waiting)
    on_day(MONDAY + dt.timedelta(days=5))
    with pytest.raises(ApplicationError, match="上传盖章的公示结果"):
        application_services.application_approve(actor=officer, application=waiting)
    with pytest.raises(ApplicationError, match="推荐意见"):
        services.unit_publicity_result_upload(
            actor=officer, publicity=publicity, upload=scan(), recommendation=" "
        )
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")
    with pytest.raises(ApplicationError, match="不是有效的PDF"):
        services.unit_publicity_result_upload(
            actor=officer, publicity=publicity, upload=bad, recommendation="同意推荐"
        )
    services.unit_publicity_result_upload(
        actor=officer,
        publicity=publicity,
        upload=scan(),
        recommendation="经单位内部公示，无异议，同意推荐。",
    )
    outcome = application_services.application_approve(actor=officer, application=waiting)
    assert outcome.application.route_position == 1
    assert outcome.application.status == ApplicationStatus.UNDER_REVIEW


@pytest.mark.unit_publicity
def test_batch_approval_lists_the_applications_without_publicity(world, waiting):
    outcome = application_services.application_batch_approve(
        actor=world.officers["unit_a"], items=[(waiting.pk, None)]
    )
    assert not outcome.approved
    assert "单位内部公示" in outcome.refused[0][1]


def test_nobody_reviews_their_own_application(world, waiting, make_user, orgs):
    from zhicheng.accounts.roles import Role

    zhang = world.zhang
    # 张伟 is also his unit's 职称管理员, with an officer login of his own.
    officer = make_user(
        orgs["unit_a"],
        Role.EMPLOYER_OFFICER,
        username="t_zhang_officer",
        real_name=zhang.name,
        phone=zhang.mobile,
    )
    with pytest.raises(ApplicationError, match="不能审核本人的职称申报"):
        application_services.application_approve(actor=officer, application=waiting)
    with pytest.raises(ApplicationError, match="不能审核本人的职称申报"):
        application_services.application_return(
            actor=officer, application=waiting, opinion="材料不全"
        )

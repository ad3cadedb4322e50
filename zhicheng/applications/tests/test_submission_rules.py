"""Submission is refused with the exact reason — and nothing changes — when a rule is not met."""

import datetime as dt

import pytest

from zhicheng.applications import services
from zhicheng.applications.models import (
    Application,
    ApplicationStatus,
    Education,
    InitialDeterminationRule,
)
from zhicheng.blacklist.models import BlacklistReason
from zhicheng.blacklist.services import blacklist_entry_create, blacklist_entry_lift
from zhicheng.catalog.models import TitleLevel
from zhicheng.committees import services as committee_services
from zhicheng.common.errors import ApplicationError
from zhicheng.routing import services as routing_services
from zhicheng.routing.models import RouteEdge, RouteKind

from .conftest import specialty, title_named


def refused(app: Application, actor, match: str):
    app.refresh_from_db()
    before = (app.status, app.version)
    with pytest.raises(ApplicationError, match=match) as info:
        services.application_submit(actor=actor, application=app)
    app.refresh_from_db()
    assert (app.status, app.version) == before
    assert not app.review_records.exists()
    return info.value.message


def test_a_blacklisted_person_is_refused_with_the_reason_and_period(world, draft):
    app = draft("evaluation")
    blacklist_entry_create(
        actor=world.officers["city_nj"],
        person=world.zhang,
        reason=BlacklistReason.PLAGIARISM,
        document_number="宁人社职〔2026〕3号",
        start_date=world.today - dt.timedelta(days=5),
    )
    message = refused(app, world.applicant, "失信黑名单")
    assert "剽窃他人成果" in message
    assert "南京市人力资源和社会保障局" in message


def test_a_lifted_blacklist_entry_no_longer_blocks(world, draft):
    entry = blacklist_entry_create(
        actor=world.officers["city_nj"],
        person=world.zhang,
        reason=BlacklistReason.OTHER,
        document_number="宁人社职〔2026〕4号",
        start_date=world.today - dt.timedelta(days=5),
    )
    blacklist_entry_lift(actor=world.officers["city_nj"], entry=entry, reason="复核撤销")
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_a_retired_person_may_not_apply(world, draft):
    app = draft("evaluation")
    type(world.zhang).objects.filter(pk=world.zhang.pk).update(is_retired=True)
    assert refused(app, world.applicant, "离退休人员不得申报") == "离退休人员不得申报"


def test_the_same_title_twice_in_one_year_is_refused(world, draft, submitted):
    # A title granted this year (初定, approved: no longer open) cannot be applied for again.
    first = submitted("initial")
    Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.APPROVED)
    message = refused(draft("initial"), world.applicant, "不能重复申报")
    assert "助理工程师" in message and "审核通过" in message


def test_a_withdrawn_application_does_not_block_a_new_one(world, draft, submitted):
    services.application_withdraw(actor=world.applicant, application=submitted("evaluation"))
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_the_same_title_in_another_year_is_allowed(world, draft, submitted):
    first = submitted("initial")
    Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.APPROVED)
    app = draft("initial", year=world.today.year + 1)
    assert services.application_submit(actor=world.applicant, application=app).status == (
        ApplicationStatus.UNDER_REVIEW
    )


def test_a_missing_route_link_is_named(world, draft):
    edge = RouteEdge.objects.get(
        kind=RouteKind.SENIOR, level=TitleLevel.SENIOR_DEPUTY, subordinate=world.orgs["unit_a"]
    )
    app = draft("evaluation")
    routing_services.route_edge_deregister(
        actor=world.officers["province"], edge=edge, reason="调整"
    )
    message = refused(app, world.applicant, "审核路径不完整")
    assert "南京江宁智能装备有限公司 没有配置上级机构（高评会 · 副高级）" in message


def test_no_route_at_all_for_the_employer(world, draft):
    app = draft("evaluation", employer=world.orgs["unit_f"])
    message = refused(app, world.applicant, "审核路径不完整")
    assert "苏州吴中精密机械有限公司" in message


def test_a_deregistered_committee_is_refused(world, draft):
    app = draft("evaluation")
    committee_services.committee_deregister(
        actor=world.officers["province"], committee=world.committee, reason="撤销"
    )
    refused(app, world.applicant, "已注销")


def test_an_expired_committee_is_refused(world, draft):
    app = draft("evaluation")
    type(world.committee).objects.filter(pk=world.committee.pk).update(
        valid_from=world.today - dt.timedelta(days=400),
        valid_until=world.today - dt.timedelta(days=1),
    )
    refused(app, world.applicant, "已过有效期")


def test_a_committee_not_covering_the_specialty_is_refused_already_in_the_draft(world, draft):
    with pytest.raises(ApplicationError, match="评审专业不包含"):
        draft("evaluation", specialty=specialty("0808"))


def test_a_committee_of_another_level_is_refused(world, draft):
    with pytest.raises(ApplicationError, match="不评审中级职称"):
        draft("evaluation", title=title_named("工程师"))


def test_a_deregistered_acceptance_office_is_refused(world, draft):
    app = draft("initial")
    routing_services.acceptance_office_deregister(
        actor=world.officers["province"], office=app.acceptance_office, reason="调整"
    )
    refused(app, world.applicant, "受理机构“南京市人力资源和社会保障局”已注销")


def test_the_notice_must_be_acknowledged_for_an_initial_application(world, draft):
    app = draft("initial")
    services.application_update(actor=world.applicant, application=app, notice_acknowledged=False)
    refused(app, world.applicant, "申报须知")


def test_the_integrity_pledge_and_attachments_are_required(world, draft):
    app = draft("evaluation", complete=False)
    refused(app, world.applicant, "诚信承诺")
    services.application_update(actor=world.applicant, application=app, integrity_pledged=True)
    message = refused(app, world.applicant, "请上传电子档案")
    assert "身份证" in message and "学历证书" in message


def test_missing_personal_data_is_listed(world, draft):
    app = draft("evaluation", school="", graduation_date=None)
    message = refused(app, world.applicant, "请先完善申报信息")
    assert "毕业院校" in message and "毕业时间" in message


@pytest.mark.parametrize(
    ("education", "graduated_days_ago", "ok"),
    [
        (Education.BACHELOR, 370, True),
        (Education.BACHELOR, 300, False),
        (Education.JUNIOR_COLLEGE, 3 * 365 + 5, True),
        (Education.JUNIOR_COLLEGE, 2 * 365 + 100, False),
        (Education.MASTER, 5 * 365, False),  # 硕士 is for 中级, not 助理级
    ],
)
def test_initial_determination_follows_the_education_years_table(
    world, draft, education, graduated_days_ago, ok
):
    graduated = world.today - dt.timedelta(days=graduated_days_ago)
    app = draft(
        "initial", education=education, graduation_date=graduated, work_start_date=graduated
    )
    if ok:
        app = services.application_submit(actor=world.applicant, application=app)
        assert app.status == ApplicationStatus.UNDER_REVIEW
    else:
        message = refused(app, world.applicant, "初定助理级职称须")
        assert ("仅满" in message) or ("硕士研究生" in message)


def test_the_initial_rule_table_is_configurable(world, draft):
    InitialDeterminationRule.objects.filter(education=Education.BACHELOR).update(min_years=5)
    app = draft("initial")  # graduated 2015: still enough
    assert services.application_submit(actor=world.applicant, application=app).status == (
        ApplicationStatus.UNDER_REVIEW
    )


def test_the_seeded_rules_are_the_designed_ones(db):
    rules = {(r.education, r.min_years, r.level) for r in InitialDeterminationRule.objects.all()}
    assert rules == {
        (Education.SECONDARY_VOCATIONAL, 1, TitleLevel.JUNIOR),
        (Education.JUNIOR_COLLEGE, 3, TitleLevel.ASSISTANT),
        (Education.BACHELOR, 1, TitleLevel.ASSISTANT),
        (Education.MASTER, 2, TitleLevel.INTERMEDIATE),
        (Education.DOCTOR, 0, TitleLevel.INTERMEDIATE),
    }


def test_the_route_is_frozen_at_submission(world, submitted):
    app = submitted("evaluation")
    edge = RouteEdge.objects.get(
        kind=RouteKind.SENIOR, level=TitleLevel.SENIOR_DEPUTY, subordinate=world.orgs["unit_a"]
    )
    routing_services.route_edge_deregister(actor=world.officers["province"], edge=edge, reason="x")
    app.refresh_from_db()
    assert app.route_length == 6
    outcome = services.application_approve(actor=world.officers["unit_a"], application=app)
    assert outcome.application.current_organization_id == world.orgs["dept_jn_it"].pk


def test_someone_else_cannot_submit_my_application(world, draft, make_applicant):
    from django.core.exceptions import PermissionDenied

    other = make_applicant("李娜")
    app = draft("evaluation")
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=other.user, application=app)

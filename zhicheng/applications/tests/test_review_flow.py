"""The review workflow through the services: up the stored route level by level, returns one
level down, 退回补充材料 down to the applicant, resubmission, withdrawal, batch approval."""

import pytest

from zhicheng.applications import services
from zhicheng.applications.models import (
    Application,
    ApplicationStatus,
    ReturnReason,
    ReviewAction,
    ReviewRecord,
)
from zhicheng.blacklist.models import BlacklistReason
from zhicheng.blacklist.services import blacklist_entry_create
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import Organization
from zhicheng.titles.models import TitleHolding

from .conftest import title_named

SENIOR_LEVELS = ("unit_a", "dept_jn_it", "county_jn", "city_nj", "province")


def test_submission_stores_the_route_from_the_employer_to_the_committee_organizer(world, submitted):
    app = submitted("evaluation")
    orgs = world.orgs
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.route_chain == [
        orgs[k].pk
        for k in ("unit_a", "dept_jn_it", "county_jn", "city_nj", "province", "organizer_eng")
    ]
    assert app.current_organization_id == orgs["unit_a"].pk
    on_route = app.route_nodes.filter(position__isnull=False).order_by("position")
    assert [n.organization_id for n in on_route] == app.route_chain
    # The scope closure: every ancestor of a route organization, with no level.
    ancestors = set()
    for org in Organization.objects.filter(pk__in=app.route_chain):
        step = Organization.steplen  # an ancestor's path is a proper prefix of the path
        prefixes = [org.path[:end] for end in range(step, len(org.path), step)]
        ancestors |= set(
            Organization.objects.filter(path__in=prefixes).values_list("pk", flat=True)
        )
    extra = set(
        app.route_nodes.filter(position__isnull=True).values_list("organization_id", flat=True)
    )
    assert extra == ancestors - set(app.route_chain)
    record = app.review_records.get()
    assert (record.action, record.to_organization_id) == (ReviewAction.SUBMIT, orgs["unit_a"].pk)


def test_each_approval_moves_the_application_to_the_next_level_and_says_where(world, submitted):
    app = submitted("evaluation")
    outcome = services.application_approve(actor=world.officers["unit_a"], application=app)
    assert outcome.application.current_organization_id == world.orgs["dept_jn_it"].pk
    assert "南京市江宁区工业和信息化局" in outcome.message
    assert outcome.application.status == ApplicationStatus.UNDER_REVIEW


def test_evaluation_approved_by_every_level_and_the_committee_is_qualified(world, submitted, climb):
    app = climb(submitted("evaluation"), *SENIOR_LEVELS)
    assert app.at_top and app.current_organization_id == world.orgs["organizer_eng"].pk
    outcome = services.application_approve(actor=world.committee_account, application=app)
    app = outcome.application
    assert app.status == ApplicationStatus.APPROVED
    assert app.decided_at is not None
    assert "取得参加" in outcome.message
    # Qualified for evaluation, not a title held: nothing says 已生效, and the committee is named.
    assert outcome.message.startswith("资格审核通过，待评审")
    assert services.where_now(app) == f"资格审核通过，待“{app.committee.name}”评审"
    final = app.review_records.order_by("pk").last()
    assert (final.reviewer_name, final.outcome_text, final.destination_text) == (
        app.committee.name,
        "资格审核通过，待评审",
        "待评审",
    )
    assert not TitleHolding.objects.filter(person=app.person).exists()
    assert list(app.review_records.values_list("action", flat=True)) == ["submit"] + ["approve"] * 6


def test_an_officer_of_the_organizer_cannot_act_for_the_committee(
    world, submitted, climb, make_user
):
    from zhicheng.accounts.roles import Role

    app = climb(submitted("evaluation"), *SENIOR_LEVELS)
    organizer_officer = make_user(world.orgs["organizer_eng"], Role.HR_OFFICER)
    with pytest.raises(ApplicationError, match="该申报已被处理"):
        services.application_approve(actor=organizer_officer, application=app)


def test_initial_approved_at_the_acceptance_office_makes_the_person_hold_the_title(
    world, submitted, climb
):
    app = climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
    assert app.status == ApplicationStatus.APPROVED
    holding = TitleHolding.objects.get(application=app)
    assert holding.person == world.zhang
    assert holding.title.name == "助理工程师"
    assert holding.approving_organization == world.orgs["city_nj"]
    assert holding.approved_on == world.today


def test_return_from_the_employer_goes_back_to_the_applicant(world, submitted):
    app = submitted("evaluation")
    app = services.application_return(
        actor=world.officers["unit_a"],
        application=app,
        opinion="请补充业绩材料",
        reasons=[ReturnReason.PERFORMANCE],
    )
    assert app.status == ApplicationStatus.RETURNED
    assert app.current_organization_id is None


def test_return_from_the_city_goes_back_to_the_county_flagged(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it", "county_jn")
    app = services.application_return(
        actor=world.officers["city_nj"],
        application=app,
        opinion="学历证书不清晰",
        reasons=[ReturnReason.EDUCATION, ReturnReason.OTHER],
    )
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.current_organization_id == world.orgs["county_jn"].pk
    assert app.returned_from_id == world.orgs["city_nj"].pk
    record = app.review_records.latest("created_at")
    assert record.reasons == [ReturnReason.EDUCATION, ReturnReason.OTHER]
    assert record.reason_labels[0] == "学历证书不清晰或与填报信息不符"


def test_return_needs_an_opinion(world, submitted):
    app = submitted("evaluation")
    with pytest.raises(ApplicationError, match="请填写审核意见"):
        services.application_return(actor=world.officers["unit_a"], application=app, opinion=" ")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_supplement_return_passes_the_superiors_opinion_down_to_the_applicant(
    world, submitted, climb
):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it")
    services.application_return(
        actor=world.officers["county_jn"],
        application=app,
        opinion="缺少现职称证书",
        reasons=[ReturnReason.CURRENT_TITLE],
    )
    app = services.application_return_for_supplement(
        actor=world.officers["dept_jn_it"], application=app
    )
    assert app.current_organization_id == world.orgs["unit_a"].pk
    assert app.returned_from_id == world.orgs["dept_jn_it"].pk
    app = services.application_return_for_supplement(
        actor=world.officers["unit_a"], application=app
    )
    assert app.status == ApplicationStatus.RETURNED
    passed = app.review_records.filter(action=ReviewAction.RETURN_FOR_SUPPLEMENT)
    assert [r.opinion for r in passed] == ["缺少现职称证书", "缺少现职称证书"]
    assert all(r.reasons == [ReturnReason.CURRENT_TITLE] for r in passed)


def test_supplement_return_needs_a_return_from_above(world, submitted):
    app = submitted("evaluation")
    with pytest.raises(ApplicationError, match="只有上级退回"):
        services.application_return_for_supplement(
            actor=world.officers["unit_a"], application=app, opinion="x"
        )


def test_a_flagged_return_approved_again_clears_the_flag(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it")
    services.application_return(actor=world.officers["county_jn"], application=app, opinion="核实")
    app = climb(app, "dept_jn_it")
    assert app.returned_from_id is None
    assert app.current_organization_id == world.orgs["county_jn"].pk


def test_resubmission_starts_again_at_the_employer_and_keeps_the_history(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a")
    services.application_return(actor=world.officers["dept_jn_it"], application=app, opinion="补")
    app = services.application_return_for_supplement(
        actor=world.officers["unit_a"], application=app
    )
    services.application_update(actor=world.applicant, application=app, school="东南大学")
    app = services.application_resubmit(actor=world.applicant, application=app)
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.current_organization_id == world.orgs["unit_a"].pk
    assert app.route_position == 0
    actions = list(app.review_records.values_list("action", flat=True))
    assert actions == ["submit", "approve", "return", "return_for_supplement", "resubmit"]
    app = climb(app, *SENIOR_LEVELS, "committee")
    assert app.status == ApplicationStatus.APPROVED


def test_withdraw_while_nobody_has_acted(world, submitted):
    app = submitted("evaluation")
    app = services.application_withdraw(actor=world.applicant, application=app)
    assert app.status == ApplicationStatus.WITHDRAWN
    assert app.current_organization_id is None


def test_withdraw_refused_once_an_officer_has_acted(world, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a")
    with pytest.raises(ApplicationError, match="不能撤回"):
        services.application_withdraw(actor=world.applicant, application=app)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.UNDER_REVIEW


def test_only_the_officer_of_the_current_organization_may_act(world, submitted):
    app = submitted("evaluation")
    with pytest.raises(ApplicationError, match="该申报已被处理"):
        services.application_approve(actor=world.officers["county_jn"], application=app)


def test_an_hr_officer_does_not_act_at_an_employer_node(world, submitted, make_user):
    from zhicheng.accounts.roles import Role

    app = submitted("evaluation")
    hr_at_unit = make_user(world.orgs["unit_a"], Role.HR_OFFICER)
    with pytest.raises(ApplicationError, match="单位经办"):
        services.application_approve(actor=hr_at_unit, application=app)


def test_a_stale_version_is_refused_with_already_handled(world, submitted):
    app = submitted("evaluation")
    seen = app.version
    services.application_approve(
        actor=world.officers["unit_a"], application=app, expected_version=seen
    )
    with pytest.raises(ApplicationError, match="该申报已被处理"):
        services.application_return(
            actor=world.officers["unit_a"], application=app, opinion="x", expected_version=seen
        )


def test_a_double_click_approves_once(world, submitted):
    app = submitted("evaluation")
    seen = app.version
    officer = world.officers["unit_a"]
    services.application_approve(actor=officer, application=app, expected_version=seen)
    again = services.application_approve(actor=officer, application=app, expected_version=seen)
    assert again.application.current_organization_id == world.orgs["dept_jn_it"].pk
    assert app.review_records.filter(action=ReviewAction.APPROVE).count() == 1


def test_a_double_click_submits_once(world, draft):
    app = draft("evaluation")
    seen = app.version
    services.application_submit(actor=world.applicant, application=app, expected_version=seen)
    services.application_submit(actor=world.applicant, application=app, expected_version=seen)
    assert app.review_records.filter(action=ReviewAction.SUBMIT).count() == 1


def test_blacklisted_after_submitting_cannot_be_approved_but_can_be_returned(world, submitted):
    app = submitted("evaluation")
    blacklist_entry_create(
        actor=world.officers["province"],
        person=world.zhang,
        reason=BlacklistReason.FALSE_MATERIALS,
        document_number="苏人社职〔2026〕9号",
        start_date=world.today,
    )
    with pytest.raises(ApplicationError, match="失信黑名单"):
        services.application_approve(actor=world.officers["unit_a"], application=app)
    app.refresh_from_db()
    assert app.current_organization_id == world.orgs["unit_a"].pk
    services.application_return(actor=world.officers["unit_a"], application=app, opinion="失信")


def test_batch_approval_approves_the_rows_it_may_and_lists_the_others(
    world, submitted, make_applicant
):
    first = submitted("evaluation")
    li = make_applicant("李娜")
    second = submitted("evaluation", user=li.user)
    # 张伟's second open application: another series (one open application per 职称系列).
    laboratory = title_named("助理实验师", "laboratory")
    at_dept = services.application_approve(
        actor=world.officers["unit_a"], application=submitted("initial", title=laboratory)
    ).application
    outcome = services.application_batch_approve(
        actor=world.officers["unit_a"],
        items=[(first.pk, first.version), (second.pk, None), (at_dept.pk, at_dept.version)],
    )
    assert sorted(a.pk for a in outcome.approved) == sorted([first.pk, second.pk])
    assert [pk for pk, _ in outcome.refused] == [at_dept.pk]
    assert "该申报已被处理" in outcome.refused[0][1]
    for app in (first, second):
        app.refresh_from_db()
        assert app.current_organization_id == world.orgs["dept_jn_it"].pk
    assert ReviewRecord.objects.filter(action=ReviewAction.APPROVE).count() == 3


def test_batch_approval_at_the_top_creates_title_holdings(world, submitted, climb):
    app = climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn")
    outcome = services.application_batch_approve(
        actor=world.officers["city_nj"], items=[(app.pk, app.version)]
    )
    assert len(outcome.approved) == 1
    assert TitleHolding.objects.filter(application=app).exists()

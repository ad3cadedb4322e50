"""呈报方案 through the services: the committee compiles and submits; reviewers of the plan's kind
approve or return it with an opinion; a returned plan is corrected and submitted again."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from zhicheng.accounts.roles import Role
from zhicheng.applications.tests.conftest import specialty
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes
from zhicheng.common.tests.concurrency import run_together
from zhicheng.plans import selectors, services
from zhicheng.plans.models import PlanAttachment, PlanParticipant, PlanStatus


def test_a_committee_compiles_and_submits_a_complete_plan(complete_plan, committee_user):
    assert selectors.plan_scoring_total(plan=complete_plan) == 100
    submitted = services.plan_submit(actor=committee_user, plan=complete_plan)
    assert submitted.status == PlanStatus.SUBMITTED and submitted.submitted_at is not None
    assert LogEntry.objects.filter(additional_data__operation="submit").count() >= 1
    with pytest.raises(ApplicationError, match="方案待审核，不能修改"):
        services.scoring_item_add(actor=committee_user, plan=submitted, name="加分", max_score=1)


def test_an_incomplete_plan_cannot_be_submitted(plan, committee_user):
    with pytest.raises(ApplicationError, match="请先填写：参评人员、专家需求、打分细则"):
        services.plan_submit(actor=committee_user, plan=plan)
    services.scoring_item_add(actor=committee_user, plan=plan, name="业绩", max_score=90)
    with pytest.raises(ApplicationError, match="超过 100 分（已有 90 分，本项 20 分）"):
        services.scoring_item_add(actor=committee_user, plan=plan, name="答辩", max_score=20)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_only_qualified_applicants_of_the_committee_join_and_only_once(
    plan, committee_user, qualified, submitted, make_applicant
):
    first, second = qualified(2)
    under_review = submitted("evaluation", user=make_applicant("未审完").user)
    with pytest.raises(ApplicationError, match="不具备本评委会参评资格"):
        services.plan_participants_add(
            actor=committee_user, plan=plan, application_ids=[first.pk, under_review.pk]
        )
    assert not PlanParticipant.objects.exists()
    assert (
        services.plan_participants_add(
            actor=committee_user, plan=plan, application_ids=[first.pk, second.pk]
        )
        == 2
    )
    assert list(selectors.candidates(plan=plan)) == []
    other = services.plan_create(actor=committee_user, name="另一方案", year=2026)
    with pytest.raises(ApplicationError, match="已在方案“2026年度工程系列高级评审方案”中"):
        services.plan_participants_add(actor=committee_user, plan=other, application_ids=[first.pk])


def test_a_special_plan_needs_its_reason(committee_user):
    with pytest.raises(ApplicationError, match="特殊方案须填写特殊情况说明"):
        services.plan_create(actor=committee_user, name="特殊", year=2026, is_special=True)
    plan = services.plan_create(
        actor=committee_user, name="特殊", year=2026, is_special=True, special_reason="破格申报"
    )
    assert plan.kind_display == "特殊方案"


def test_only_a_committee_account_compiles_and_only_its_own_plans(
    plan, world, hr_city, make_user, orgs
):
    with pytest.raises(ApplicationError):
        services.plan_create(actor=hr_city, name="越权", year=2026)
    with pytest.raises(ApplicationError):
        services.scoring_item_add(actor=hr_city, plan=plan, name="越权", max_score=10)


def test_reviewers_review_only_their_kind(
    complete_plan, committee_user, reviewer, special_reviewer
):
    services.plan_submit(actor=committee_user, plan=complete_plan)
    with pytest.raises(PermissionDenied, match="无权审核正常方案"):
        services.plan_review(actor=special_reviewer, plan=complete_plan, approved=True)
    with pytest.raises(ApplicationError, match="审核不通过须填写审核意见"):
        services.plan_review(actor=reviewer, plan=complete_plan, approved=False, opinion=" ")
    done = services.plan_review(actor=reviewer, plan=complete_plan, approved=True, opinion="同意")
    assert (done.status, done.reviewed_by, done.review_opinion) == (
        PlanStatus.APPROVED,
        reviewer,
        "同意",
    )
    with pytest.raises(ApplicationError, match="该方案已被处理"):
        services.plan_review(actor=reviewer, plan=complete_plan, approved=False, opinion="重复")


def test_a_returned_plan_is_corrected_and_submitted_again(complete_plan, committee_user, reviewer):
    services.plan_submit(actor=committee_user, plan=complete_plan)
    services.plan_review(actor=reviewer, plan=complete_plan, approved=False, opinion="专家人数不足")
    services.expert_requirement_add(
        actor=committee_user,
        plan=complete_plan,
        specialty=specialty("080201"),
        level="senior_deputy",
        count=2,
    )
    again = services.plan_submit(actor=committee_user, plan=complete_plan)
    assert again.status == PlanStatus.SUBMITTED
    assert again.experts.count() == 2


def test_reviewers_see_submitted_plans_of_their_scope_only(
    plan, complete_plan, committee_user, reviewer, hr_city, world
):
    assert selectors.plan_list(user=reviewer).count() == 0  # a draft is the committee's own
    assert selectors.plan_list(user=committee_user).count() == 1
    services.plan_submit(actor=committee_user, plan=complete_plan)
    assert selectors.plan_review_list(user=reviewer, special=False).count() == 1
    assert selectors.plan_review_list(user=reviewer, special=True).count() == 0
    # The committee is managed by the province bureau: a city bureau does not see its plans.
    assert selectors.plan_list(user=hr_city).count() == 0
    assert selectors.plan_list(user=reviewer, status="submitted")[0].participant_count == 1


def test_attachments_are_checked_by_content(plan, committee_user):
    good = SimpleUploadedFile("方案.pdf", pdf_bytes(), content_type="application/pdf")
    attachment = services.plan_attachment_add(actor=committee_user, plan=plan, upload=good)
    assert (attachment.content_type, attachment.original_name) == ("application/pdf", "方案.pdf")
    fake = SimpleUploadedFile("方案.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="不是有效的PDF、JPG或PNG文件"):
        services.plan_attachment_add(actor=committee_user, plan=plan, upload=fake)
    assert PlanAttachment.objects.count() == 1
    services.plan_attachment_remove(actor=committee_user, attachment=attachment)
    assert not PlanAttachment.objects.exists()


def test_experts_are_needed_in_the_committees_specialties(plan, committee_user):
    with pytest.raises(ApplicationError, match="不在本评委会的评审专业范围内"):
        services.expert_requirement_add(
            actor=committee_user,
            plan=plan,
            specialty=specialty("0801"),
            level="senior_full",
            count=3,
        )
    assert not plan.experts.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_exactly_one_takes_effect(
    reseeded, complete_plan, committee_user, reviewer, make_user, orgs
):
    colleague = make_user(orgs["province"], Role.PLAN_REVIEWER, username="t_plan_reviewer_2")
    services.plan_submit(actor=committee_user, plan=complete_plan)
    results = run_together(
        lambda: services.plan_review(actor=reviewer, plan=complete_plan.pk, approved=True),
        lambda: services.plan_review(
            actor=colleague, plan=complete_plan.pk, approved=False, opinion="退回"
        ),
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "该方案已被处理" in next(r for r in results if r != "ok")
    complete_plan.refresh_from_db()
    assert complete_plan.status in (PlanStatus.APPROVED, PlanStatus.REJECTED)

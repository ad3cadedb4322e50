"""Reads of 呈报方案, always through ``scoped``: a committee account sees its own committee's
plans; HR officers and plan reviewers the plans of the committees their bureau's subtree
manages. Reviewers see submitted plans only (a draft is the committee's own business)."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.timeline import TimelineEvent
from zhicheng.plans import services
from zhicheng.plans.models import (
    EvaluationPlan,
    ExpertRequirement,
    PlanAttachment,
    PlanParticipant,
    PlanStatus,
    ScoringItem,
)

# What reviewers and HR officers see: a plan once the committee has submitted it.
SUBMITTED_STATES = (PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.REJECTED)


def _visible(user: User) -> QuerySet[EvaluationPlan]:
    qs = scoped(EvaluationPlan.objects.select_related("committee", "reviewed_by"), user)
    if not user.is_committee:
        qs = qs.filter(status__in=SUBMITTED_STATES)
    return qs


def plan_list(
    *,
    user: User,
    name: str = "",
    committee_name: str = "",
    year: int | None = None,
    status: str = "",
    kind: str = "",
) -> QuerySet[EvaluationPlan]:
    """呈报方案查询 (1.23) and the committee's own list: by 方案名称, 评委会, 年度, 状态 and
    kind (``normal`` / ``special``); newest submissions first."""
    qs = _visible(user).annotate(participant_count=Count("participants", distinct=True))
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    if committee_name.strip():
        qs = qs.filter(committee__name__contains=committee_name.strip())
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if kind in ("normal", "special"):
        qs = qs.filter(is_special=kind == "special")
    return qs.order_by("-submitted_at", "-pk")


def plan_review_list(*, user: User, special: bool, status: str = "", **filters):
    """1.13 (``special=False``) / 1.14: the plans of that kind; 待审核 first by default."""
    kind = "special" if special else "normal"
    return plan_list(user=user, kind=kind, status=status, **filters)


def plan_get(*, user: User, pk) -> EvaluationPlan:
    return get_scoped_or_404(_visible(user), user, pk)


def plan_participants(*, plan: EvaluationPlan) -> QuerySet[PlanParticipant]:
    return plan.participants.select_related(
        "application__person", "application__title", "application__specialty"
    ).order_by("application__person__name", "pk")


def plan_experts(*, plan: EvaluationPlan) -> QuerySet[ExpertRequirement]:
    return plan.experts.select_related("specialty").order_by("pk")


def plan_scoring(*, plan: EvaluationPlan) -> QuerySet[ScoringItem]:
    return plan.scoring.order_by("pk")


def plan_scoring_total(*, plan: EvaluationPlan) -> int:
    return plan.scoring.aggregate(total=Sum("max_score"))["total"] or 0


def plan_attachments(*, plan: EvaluationPlan) -> QuerySet[PlanAttachment]:
    return plan.attachments.order_by("pk")


def plan_attachment_get(*, user: User, pk) -> PlanAttachment:
    """An attachment, only through a plan the user may see."""
    attachment = PlanAttachment.objects.select_related("plan").filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在")
    plan_get(user=user, pk=attachment.plan_id)
    return attachment


def candidates(*, plan: EvaluationPlan):
    """Qualified applications of the plan's committee in none of its other plans: who may still
    be added as 参评人员 (of the plan's 申报批次 only, when it has one)."""
    qs = services.qualified_applications(plan.committee_id)
    if plan.window_id is not None:
        qs = qs.filter(window_id=plan.window_id)
    return (
        qs.exclude(plan_participations__isnull=False)
        .select_related("person", "title", "specialty")
        .order_by("person__name", "pk")
    )


def application_plan_events(*, application) -> list[TimelineEvent]:
    """过程跟踪: the 呈报方案 an evaluation application was put in once the plan left the
    committee (呈报), and the plan's review (the caller has scoped the application)."""
    events: list[TimelineEvent] = []
    participations = PlanParticipant.objects.filter(application=application).select_related(
        "plan__committee", "plan__created_by", "plan__reviewed_by__organization"
    )
    for participation in participations:
        plan = participation.plan
        if plan.status == PlanStatus.DRAFT or plan.submitted_at is None:
            continue
        events.append(
            TimelineEvent(
                created_at=plan.submitted_at,
                reviewer_name=plan.committee.name,
                actor_name=str(plan.created_by),
                action="plan_submit",
                label="呈报方案",
                opinion=f"列入呈报方案“{plan.name}”",
                destination_text="方案审核",
            )
        )
        if plan.reviewed_at and plan.status in (PlanStatus.APPROVED, PlanStatus.REJECTED):
            approved = plan.status == PlanStatus.APPROVED
            events.append(
                TimelineEvent(
                    created_at=plan.reviewed_at,
                    reviewer_name=_reviewing_organization_name(plan),
                    actor_name=str(plan.reviewed_by or ""),
                    action="approve" if approved else "return",
                    label="方案审核通过" if approved else "方案审核不通过",
                    opinion=plan.review_opinion,
                    destination_text="待评审" if approved else plan.committee.name,
                )
            )
    return events


def _reviewing_organization_name(plan: EvaluationPlan) -> str:
    reviewer = plan.reviewed_by
    if reviewer is not None and reviewer.organization_id:
        return reviewer.organization.name
    return "方案审核"


def plans_awaiting_review_counts(*, user: User) -> dict[str, int]:
    """待审核方案 on the reviewers' home, by the kinds ``user`` reviews (``normal`` 1.13,
    ``special`` 1.14)."""
    counts = {}
    for kind, permission in (
        ("normal", services.REVIEW_NORMAL),
        ("special", services.REVIEW_SPECIAL),
    ):
        if user.has_perm(permission):
            counts[kind] = plan_list(user=user, kind=kind, status=PlanStatus.SUBMITTED).count()
    return counts

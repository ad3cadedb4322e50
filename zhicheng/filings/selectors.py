"""Reads of 评后公示, 异议 and 1.15 备案, always scoped: the committee account sees its own plans'
publicity, objections and filings; HR officers those of the committees in their subtree, and
the filings sent to their organization's subtree; the public page shows the lists under way
(names, employers, titles and specialties only — never a 证件号码)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.common import workdays
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.timeline import TimelineEvent
from zhicheng.filings.models import (
    FilingStatus,
    Objection,
    ObjectionStatus,
    Publicity,
    ResultFiling,
)
from zhicheng.meetings import selectors as meeting_selectors
from zhicheng.meetings.models import MeetingResult, MeetingStatus
from zhicheng.plans.models import EvaluationPlan, PlanParticipant, PlanStatus

RESULT_RELATED = (
    "participant__application__person",
    "participant__application__employer",
    "participant__application__title",
    "participant__application__specialty",
)


def publicity_passed(*, plan: EvaluationPlan) -> QuerySet[MeetingResult]:
    """公示通过参评人员名单: who passed the closed meeting, less those against whom an objection
    was upheld (成立); best score first."""
    upheld = Objection.objects.filter(
        participant=OuterRef("participant"), status=ObjectionStatus.UPHELD
    )
    return (
        meeting_selectors.passed_results(plan)
        .select_related(*RESULT_RELATED)
        .exclude(Exists(upheld))
    )


GRANT_FIELDS = (
    "participant__application_id",
    "participant__application__person_id",
    "participant__application__title_id",
    "participant__application__title__level",
    "participant__application__specialty_id",
)


def publicity_passed_grants(*, plan: EvaluationPlan) -> list[tuple]:
    """What filing grants, one tuple per participant who passed 公示 (``GRANT_FIELDS``): bare
    values, since a plan of 2,000 people need not become 14,000 model instances."""
    return list(publicity_passed(plan=plan).select_related(None).values_list(*GRANT_FIELDS))


def publicity_removed(*, plan: EvaluationPlan) -> QuerySet[Objection]:
    """Who was taken off the passed list by an upheld objection, with the reason."""
    return (
        Objection.objects.filter(publicity__plan=plan, status=ObjectionStatus.UPHELD)
        .select_related("participant__application__person")
        .order_by("resolved_at", "pk")
    )


def publishable_plans(*, user: User) -> QuerySet[EvaluationPlan]:
    """评后公示 (committee's page): its approved plans whose meeting has closed, with their
    publicity and filing when they have one; newest first."""
    closed = Q(meeting__status=MeetingStatus.CLOSED)
    qs = scoped(
        EvaluationPlan.objects.select_related("committee", "publicity", "result_filing", "meeting"),
        user,
    ).filter(closed, status=PlanStatus.APPROVED)
    return qs.annotate(
        passed_count=Count("meeting__results", filter=Q(meeting__results__passed=True))
    ).order_by("-meeting__closed_at", "-pk")


def publicity_plan_list(
    *, user: User, name: str = "", year: int | None = None, phase: str = ""
) -> QuerySet[EvaluationPlan]:
    """评后公示 list: by 方案名称, 年度 and phase (``unpublished`` 未公示, ``under_way`` 公示中,
    ``ended`` 公示结束)."""
    qs = publishable_plans(user=user)
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    if year:
        qs = qs.filter(year=year)
    today = workdays.today()
    if phase == "unpublished":
        qs = qs.filter(publicity__isnull=True)
    elif phase == "under_way":
        qs = qs.filter(publicity__starts_on__lte=today, publicity__ends_on__gte=today)
    elif phase == "ended":
        qs = qs.filter(publicity__ends_on__lt=today)
    return qs


def publicity_plan_get(*, user: User, pk) -> EvaluationPlan:
    return get_scoped_or_404(
        EvaluationPlan.objects.select_related("committee", "reviewed_by__organization"), user, pk
    )


def publicity_of(*, plan: EvaluationPlan) -> Publicity | None:
    return Publicity.objects.filter(plan=plan).select_related("published_by").first()


def filing_of(*, plan: EvaluationPlan) -> ResultFiling | None:
    return ResultFiling.objects.filter(plan=plan).first()


def public_publicities(*, today=None) -> QuerySet[Publicity]:
    """The publicity periods under way today: what anyone may read at ``/publicity/``."""
    today = today or workdays.today()
    return (
        Publicity.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("plan__committee")
        .order_by("ends_on", "pk")
    )


def objection_list(
    *, user: User, plan_name: str = "", name: str = "", status: str = ""
) -> QuerySet[Objection]:
    """异议: by 方案名称, 参评人员姓名 and 处理结果; unresolved first, then newest."""
    qs = scoped(
        Objection.objects.select_related(
            "publicity__plan", "participant__application__person", "recorded_by", "resolved_by"
        ),
        user,
    )
    if plan_name.strip():
        qs = qs.filter(publicity__plan__name__contains=plan_name.strip())
    if name.strip():
        qs = qs.filter(participant__application__person__name__contains=name.strip())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-recorded_at", "-pk")


def objection_get(*, user: User, pk) -> Objection:
    return get_scoped_or_404(
        Objection.objects.select_related("publicity__plan", "participant__application__person"),
        user,
        pk,
    )


def filing_list(
    *,
    user: User,
    plan_name: str = "",
    committee_name: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[ResultFiling]:
    """1.15: the filings sent to the user's organization (HR officers) or sent by the committee;
    by 方案名称, 评委会, 年度 and 审核状态; 待备案 first, then newest."""
    qs = scoped(
        ResultFiling.objects.select_related(
            "plan__committee", "filing_organization", "reviewed_by", "sent_by"
        ),
        user,
    )
    if plan_name.strip():
        qs = qs.filter(plan__name__contains=plan_name.strip())
    if committee_name.strip():
        qs = qs.filter(plan__committee__name__contains=committee_name.strip())
    if year:
        qs = qs.filter(plan__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-sent_at", "-pk")


def filing_get(*, user: User, pk) -> ResultFiling:
    return get_scoped_or_404(
        ResultFiling.objects.select_related(
            "plan__committee", "filing_organization", "reviewed_by", "sent_by"
        ),
        user,
        pk,
    )


def filings_awaiting_count(*, user: User) -> int:
    if not user.has_perm("filings.review_resultfiling"):
        return 0
    return filing_list(user=user, status=FilingStatus.PENDING).count()


# --- what applicants and employers see --------------------------------------------------------


def application_result(*, application) -> str:
    """评审通过 / 未通过 once the plan's filing is 审核通过 (the caller has scoped the
    application); blank before."""
    participation = (
        application.plan_participations.select_related("plan__result_filing")
        .filter(plan__result_filing__status=FilingStatus.APPROVED)
        .first()
    )
    if participation is None:
        return ""
    return "评审通过" if _passed_publicity(participation) else "评审未通过"


def _passed_publicity(participation) -> bool:
    result = MeetingResult.objects.filter(participant=participation, passed=True).first()
    if result is None:
        return False
    return not Objection.objects.filter(
        participant=participation, status=ObjectionStatus.UPHELD
    ).exists()


def application_filing_events(*, application) -> list[TimelineEvent]:
    """过程跟踪: 评后公示 and the filing's result of the plan the application took part in."""
    events: list[TimelineEvent] = []
    for participation in application.plan_participations.select_related(
        "plan__committee", "plan__publicity", "plan__result_filing__reviewed_by"
    ):
        plan = participation.plan
        publicity = getattr(plan, "publicity", None)
        if publicity is None:
            continue
        events.append(
            TimelineEvent(
                created_at=publicity.published_at,
                reviewer_name=plan.committee.name,
                actor_name="",
                action="publicity",
                label="评后公示",
                opinion=f"公示期 {publicity.period_display}",
                destination_text="公示",
            )
        )
        for objection in Objection.objects.filter(
            participant=participation, status=ObjectionStatus.UPHELD
        ):
            events.append(
                TimelineEvent(
                    created_at=objection.resolved_at,
                    reviewer_name=plan.committee.name,
                    actor_name="",
                    action="return",
                    label="异议成立",
                    opinion=objection.resolution,
                    destination_text="移出通过名单",
                )
            )
        filing = getattr(plan, "result_filing", None)
        if filing is not None and filing.status == FilingStatus.APPROVED:
            passed = _passed_publicity(participation)
            events.append(
                TimelineEvent(
                    created_at=filing.reviewed_at,
                    reviewer_name=filing.filing_organization.name,
                    actor_name=str(filing.reviewed_by or ""),
                    action="approve" if passed else "return",
                    label="评审通过" if passed else "评审未通过",
                    opinion=f"备案文号 {filing.filing_number}" if passed else "",
                    destination_text="取得职称" if passed else "—",
                )
            )
    return events


def person_results(*, user: User, name: str = "", result: str = "") -> QuerySet[MeetingResult]:
    """评审结果 of the people of an employer's (or a bureau's) subtree, for filed plans: who
    passed and who did not."""
    applications = scoped(Application.objects.all(), user).values("pk")
    qs = (
        MeetingResult.objects.filter(
            participant__application__in=applications,
            meeting__plan__result_filing__status=FilingStatus.APPROVED,
        )
        .select_related(*RESULT_RELATED, "meeting__plan__result_filing")
        .annotate(
            removed=Exists(
                Objection.objects.filter(
                    participant=OuterRef("participant"), status=ObjectionStatus.UPHELD
                )
            )
        )
    )
    if name.strip():
        qs = qs.filter(participant__application__person__name__contains=name.strip())
    if result == "passed":
        qs = qs.filter(passed=True, removed=False)
    elif result == "failed":
        qs = qs.filter(Q(passed=False) | Q(removed=True))
    return qs.order_by("-meeting__plan__result_filing__reviewed_at", "participant_id")


def applicant_results(*, user: User) -> list[dict]:
    """我的申报: the applicant's 评审 results once filed — 评审通过 / 评审未通过, with the plan, the
    备案文号 and 备案时间."""
    participations = (
        scoped(Application.objects.all(), user)
        .filter(plan_participations__plan__result_filing__status=FilingStatus.APPROVED)
        .values_list("plan_participations", flat=True)
    )
    rows = []
    for participation in (
        PlanParticipant.objects.filter(pk__in=participations)
        .select_related("application__title", "plan__result_filing")
        .order_by("-plan__result_filing__reviewed_at")
    ):
        filing = participation.plan.result_filing
        rows.append(
            {
                "application": participation.application,
                "plan": participation.plan,
                "result": "评审通过" if _passed_publicity(participation) else "评审未通过",
                "filing_number": filing.filing_number,
                "filed_on": filing.filed_on,
            }
        )
    return rows

"""Reads of meetings and their results.

Secrecy: no read here answers a single vote's content to anyone but the expert who cast it
(``expert_votes``); tallies come only from ``MeetingResult`` rows, written when the meeting
closes. Before closing the committee reads counts (how many voted), the quorum and the
close-check (the cap preview and the 职数 flags), never a participant's tally.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from zhicheng.accounts.models import User
from zhicheng.common.scoping import scoped
from zhicheng.experts.models import Expert, PanelDraw, PanelMember, PanelRole
from zhicheng.meetings.models import (
    DEFAULT_PASS_RATE_CAPS,
    Attendance,
    Meeting,
    MeetingResult,
    MeetingStatus,
    PassRateCap,
    Score,
    Vote,
    VoteChoice,
)
from zhicheng.plans.models import EvaluationPlan, PlanParticipant, PlanStatus
from zhicheng.quotas.models import QuotaDeclaration

LEVEL_LABELS = {"senior_full": "正高级", "senior_deputy": "副高级"}


def plan_meeting(plan) -> Meeting | None:
    return Meeting.objects.filter(plan=plan).first()


def passed_results(plan) -> QuerySet[MeetingResult]:
    """The participants who passed a closed meeting, best score first; none before closing."""
    return (
        MeetingResult.objects.filter(
            meeting__plan=plan, meeting__status=MeetingStatus.CLOSED, passed=True
        )
        .select_related("participant__application__person")
        .order_by("rank", "participant_id")
    )


def meeting_results(*, meeting: Meeting | None) -> QuerySet[MeetingResult]:
    """Every participant's result (tallies), only once the meeting is closed."""
    if meeting is None or meeting.status != MeetingStatus.CLOSED:
        return MeetingResult.objects.none()
    return (
        MeetingResult.objects.filter(meeting=meeting)
        .select_related(
            "participant__application__person",
            "participant__application__employer",
            "participant__application__specialty",
        )
        .order_by("rank", "participant_id")
    )


# --- the panel and attendance ---------------------------------------------------------------


def panel_draw_of(plan: EvaluationPlan) -> PanelDraw | None:
    return plan.panel_draws.order_by("-number").first()


@dataclass
class Seat:
    member: PanelMember
    present: bool
    seated: bool = False
    stands_in_for_id: int | None = None


def seating(members: list[PanelMember], present_ids: set[int]) -> list[Seat]:
    """Who scores and votes: every present member; for each absent member (in draw order) the
    first present alternate of the same 专家需求 (in draw order) not yet seated."""
    members = sorted(members, key=lambda m: m.order)
    seats = {m.pk: Seat(member=m, present=m.expert_id in present_ids) for m in members}
    for m in members:
        if m.role == PanelRole.MEMBER and seats[m.pk].present:
            seats[m.pk].seated = True
    for m in members:
        if m.role != PanelRole.MEMBER or seats[m.pk].present:
            continue
        for alt in members:
            seat = seats[alt.pk]
            if (
                alt.role == PanelRole.ALTERNATE
                and alt.requirement_id == m.requirement_id
                and seat.present
                and not seat.seated
            ):
                seat.seated, seat.stands_in_for_id = True, m.expert_id
                break
    return [seats[m.pk] for m in members]


def panel_size(meeting: Meeting) -> int:
    draw = panel_draw_of(meeting.plan)
    return draw.members.filter(role=PanelRole.MEMBER).count() if draw else 0


def seated_expert_ids(meeting: Meeting) -> list[int]:
    return list(
        Attendance.objects.filter(meeting=meeting, seated=True).values_list("expert_id", flat=True)
    )


def attendance_list(*, meeting: Meeting | None) -> QuerySet[Attendance]:
    if meeting is None:
        return Attendance.objects.none()
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("expert__person", "expert__employer", "member", "stands_in_for__person")
        .order_by("member__order")
    )


def quorum_problem(meeting: Meeting) -> str:
    """Why the meeting may not close for lack of quorum, or "" (present ≥ fraction × panel)."""
    committee = meeting.plan.committee
    panel = panel_size(meeting)
    seated = len(seated_expert_ids(meeting))
    num, den = committee.quorum_numerator, committee.quorum_denominator
    needed = math.ceil(panel * num / den) if panel else 1
    if seated >= max(needed, 1):
        return ""
    return (
        f"到会参加评审的专家 {seated} 名，不足法定人数：评审专家 {panel} 名的 {num}/{den} 为 "
        f"{needed} 名，还差 {needed - seated} 名"
    )


# --- the tally (read when closing; its aggregate figures for the close-check) ---------------


@dataclass
class TallyRow:
    participant_id: int
    level: str
    employer_id: int | None
    present: int
    agree: int = 0
    disagree: int = 0
    abstain: int = 0
    score: Decimal | None = None
    rank: int | None = None
    passed: bool = False
    cut_reason: str = ""
    enough_votes: bool = False


def cap_percent(year: int, level: str) -> int | None:
    row = PassRateCap.objects.filter(year=year, level=level).first()
    if row is not None:
        return row.max_percent
    return DEFAULT_PASS_RATE_CAPS.get(level)


def meeting_tally(meeting: Meeting) -> list[TallyRow]:
    """Per participant: average total score of the seated experts who scored, the tally of the
    seated experts' votes, rank by score, passed by the pass fraction, then the cap cut."""
    plan = meeting.plan
    committee = plan.committee
    seated = seated_expert_ids(meeting)
    present = len(seated)
    participants = list(
        PlanParticipant.objects.filter(plan=plan).values_list(
            "pk", "application__level", "application__employer_id"
        )
    )
    rows = {
        pk: TallyRow(participant_id=pk, level=level, employer_id=employer, present=present)
        for pk, level, employer in participants
    }
    # Counted and summed by the database, one row per participant: a plan of 2,000 people and
    # 25 experts has 50,000 votes and 100,000 scores, which Python need not see one by one.
    votes = (
        Vote.objects.filter(meeting=meeting, expert_id__in=seated)
        .values("participant_id")
        .annotate(
            n_agree=Count("pk", filter=Q(choice=VoteChoice.AGREE)),
            n_disagree=Count("pk", filter=Q(choice=VoteChoice.DISAGREE)),
            n_abstain=Count("pk", filter=Q(choice=VoteChoice.ABSTAIN)),
        )
        .values_list("participant_id", "n_agree", "n_disagree", "n_abstain")
    )
    for participant_id, agree, disagree, abstain in votes:
        row = rows.get(participant_id)
        if row is not None:
            row.agree, row.disagree, row.abstain = agree, disagree, abstain
    # The average of the experts' totals = the sum of every item's score ÷ the experts who scored.
    sums = (
        Score.objects.filter(meeting=meeting, expert_id__in=seated)
        .values("participant_id")
        .annotate(total=Sum("value"), experts=Count("expert_id", distinct=True))
        .values_list("participant_id", "total", "experts")
    )
    for participant_id, total, experts in sums:
        if participant_id in rows and experts:
            rows[participant_id].score = (Decimal(total) / experts).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.score is None, -(r.score or 0), -r.agree, r.participant_id),
    )
    num, den = committee.pass_numerator, committee.pass_denominator
    for rank, row in enumerate(ordered, start=1):
        row.rank = rank
        row.enough_votes = present > 0 and row.agree * den >= num * present
        row.passed = row.enough_votes
    # The cap: per level, at most floor(percent × participants of the level) pass.
    by_level: dict[str, list[TallyRow]] = defaultdict(list)
    for row in ordered:
        by_level[row.level].append(row)
    for level, level_rows in by_level.items():
        percent = cap_percent(plan.year, level)
        if percent is None:
            continue
        limit = len(level_rows) * percent // 100
        passing = [r for r in level_rows if r.passed]
        for row in passing[limit:]:
            row.passed = False
            row.cut_reason = (
                f"同意票达到通过比例，但超出{plan.year}年{LEVEL_LABELS.get(level, level)}"
                f"通过率上限 {percent}%（参评 {len(level_rows)} 人最多通过 {limit} 人），"
                f"按得分排名第 {row.rank} 名未进入"
            )
    return ordered


@dataclass
class LevelCap:
    level: str
    level_display: str
    participants: int
    percent: int | None
    limit: int | None
    passing: int  # with enough 同意 votes so far
    cut: int


@dataclass
class QuotaFlag:
    employer_id: int
    employer_name: str
    declared: int
    passing: int


@dataclass
class CloseCheck:
    status: str
    panel: int
    seated: int
    quorum_problem: str
    participants: int
    votes_cast: int
    votes_expected: int
    caps: list[LevelCap] = field(default_factory=list)
    quota_flags: list[QuotaFlag] = field(default_factory=list)

    @property
    def can_close(self) -> bool:
        return self.status == MeetingStatus.OPEN and not self.quorum_problem


QUOTA_GRADE = {
    "senior_full": "senior_requested",
    "senior_deputy": "senior_requested",
    "intermediate": "intermediate_requested",
}


def close_check(meeting: Meeting) -> CloseCheck:
    """结束前检查, for the committee: quorum, how many votes are cast, per level how many would
    pass and how many the cap would cut, and the employers whose passes would exceed the
    职数 they declared for the plan's year (1.22). Aggregates only: no participant's tally."""
    plan = meeting.plan
    participants = plan.participants.count()
    if meeting.pk is None:  # not opened yet: nobody seated, nothing cast
        return CloseCheck(
            status=meeting.status,
            panel=panel_size(meeting),
            seated=0,
            quorum_problem="",
            participants=participants,
            votes_cast=0,
            votes_expected=0,
        )
    seated = seated_expert_ids(meeting)
    check = CloseCheck(
        status=meeting.status,
        panel=panel_size(meeting),
        seated=len(seated),
        quorum_problem=quorum_problem(meeting) if meeting.status == MeetingStatus.OPEN else "",
        participants=participants,
        votes_cast=Vote.objects.filter(meeting=meeting, expert_id__in=seated).count(),
        votes_expected=participants * len(seated),
    )
    if meeting.status != MeetingStatus.OPEN:
        return check
    rows = meeting_tally(meeting)
    by_level: dict[str, list[TallyRow]] = defaultdict(list)
    for row in rows:
        by_level[row.level].append(row)
    for level, level_rows in sorted(by_level.items()):
        percent = cap_percent(plan.year, level)
        check.caps.append(
            LevelCap(
                level=level,
                level_display=LEVEL_LABELS.get(level, level),
                participants=len(level_rows),
                percent=percent,
                limit=None if percent is None else len(level_rows) * percent // 100,
                passing=sum(r.enough_votes for r in level_rows),
                cut=sum(bool(r.cut_reason) for r in level_rows),
            )
        )
    passing_by_employer: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        grade = QUOTA_GRADE.get(row.level)
        if row.passed and row.employer_id and grade:
            passing_by_employer[(row.employer_id, grade)] += 1
    if passing_by_employer:
        declarations = {
            d.organization_id: d
            for d in QuotaDeclaration.objects.filter(
                year=plan.year, organization_id__in={e for e, _g in passing_by_employer}
            ).select_related("organization")
        }
        for (employer_id, grade), count in sorted(passing_by_employer.items()):
            declaration = declarations.get(employer_id)
            if declaration is None:
                continue
            declared = getattr(declaration, grade)
            if count > declared:
                check.quota_flags.append(
                    QuotaFlag(
                        employer_id=employer_id,
                        employer_name=declaration.organization.name,
                        declared=declared,
                        passing=count,
                    )
                )
    return check


# --- the committee's reads ------------------------------------------------------------------


def committee_plan(*, user: User, pk) -> EvaluationPlan | None:
    """An approved plan of the user's scope (the committee its own, HR officers their subtree)."""
    return (
        scoped(EvaluationPlan.objects.select_related("committee"), user)
        .filter(pk=pk, status=PlanStatus.APPROVED)
        .first()
    )


# --- the expert's reads (我的评审) ----------------------------------------------------------


def _latest_draw_ids():
    latest = PanelDraw.objects.filter(plan=OuterRef("plan")).order_by("-number").values("pk")[:1]
    return PanelMember.objects.filter(draw=Subquery(latest))


def expert_plans(*, user: User) -> QuerySet[EvaluationPlan]:
    """The approved plans whose current panel includes the user (member or alternate)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EvaluationPlan.objects.none()
    plan_ids = _latest_draw_ids().filter(expert__account=user).values("plan_id")
    return (
        EvaluationPlan.objects.filter(pk__in=plan_ids, status=PlanStatus.APPROVED)
        .select_related("committee")
        .order_by("-year", "-pk")
    )


def expert_participants(*, user: User) -> QuerySet[PlanParticipant]:
    return PlanParticipant.objects.filter(plan__in=expert_plans(user=user))


def expert_entry(*, user: User, plan: EvaluationPlan) -> Expert | None:
    return Expert.objects.filter(committee_id=plan.committee_id, account=user).first()


def recusal_reason(expert: Expert, participant: PlanParticipant) -> str:
    """回避: the expert is the participant, or works for the participant's employer."""
    application = participant.application
    if expert.person_id == application.person_id:
        return "您本人是该参评人员"
    if application.employer_id and expert.employer_id == application.employer_id:
        return "您与该参评人员是同一工作单位"
    return ""


def expert_scores(*, expert: Expert, participant: PlanParticipant) -> dict[int, Decimal]:
    return dict(
        Score.objects.filter(expert=expert, participant=participant).values_list("item_id", "value")
    )


def expert_votes(*, expert: Expert, plan: EvaluationPlan) -> dict[int, str]:
    """The expert's own votes on the plan's participants (participant id → choice)."""
    return dict(
        Vote.objects.filter(expert=expert, participant__plan=plan).values_list(
            "participant_id", "choice"
        )
    )


def pass_rate_caps(*, user: User) -> QuerySet[PassRateCap]:
    if user is None or not user.has_perm("meetings.view_passratecap"):
        return PassRateCap.objects.none()
    return PassRateCap.objects.select_related("updated_by").order_by("-year", "level")


# --- 评审会议结果 (the list: page, export, API) ----------------------------------------------


def meeting_result_list(
    *,
    user: User,
    plan: int | None = None,
    plan_name: str = "",
    name: str = "",
    passed: str = "",
) -> QuerySet[MeetingResult]:
    """评审会议结果: each participant's score, tally and result, of the closed meetings in the
    user's scope (a committee its own plans'); nothing before a meeting closes, and never a
    single vote — the rows are the tallies written at closing."""
    meetings = scoped(Meeting.objects.filter(status=MeetingStatus.CLOSED), user)
    qs = MeetingResult.objects.filter(meeting__in=meetings.values("pk")).select_related(
        "meeting__plan",
        "participant__application__person",
        "participant__application__employer",
        "participant__application__specialty",
    )
    if plan is not None:
        qs = qs.filter(meeting__plan_id=plan)
    if plan_name.strip():
        qs = qs.filter(meeting__plan__name__contains=plan_name.strip())
    if name.strip():
        qs = qs.filter(participant__application__person__name__contains=name.strip())
    if passed in ("true", "false"):
        qs = qs.filter(passed=passed == "true")
    return qs.order_by("-meeting__closed_at", "meeting_id", "rank", "participant_id")

"""Writes of 评审会议 (issue 12): open, attendance, scores, votes, close; pass-rate caps.

Every write is atomic, keyword-only, takes ``actor``. The committee account of the plan opens
the meeting, records attendance and closes it; a seated panel expert scores and votes. Every
write to a meeting locks its row first, so nothing is written to a meeting being closed and a
vote cast at the moment of closing is either counted or refused. The operation log records
open, attendance, close and each vote — never the vote's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.experts.models import Expert, PanelMember
from zhicheng.meetings import selectors
from zhicheng.meetings.models import (
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

PLAN_NOT_FOUND = "呈报方案不存在或不在管辖范围内"
NOT_ON_PANEL = "参评人员不存在，或您不在该方案的评审专家组中"


# --- the committee's side -------------------------------------------------------------------


def _lock_plan(actor: User, plan: EvaluationPlan | int) -> EvaluationPlan:
    require_perm(actor, "meetings.run_meeting", "无权组织评审会议", error=PermissionDenied)
    if not actor.is_committee:
        raise PermissionDenied("只有评委会可以组织评审会议")
    plan_id = plan.pk if isinstance(plan, EvaluationPlan) else plan
    found = (
        scoped(EvaluationPlan.objects.select_related("committee"), actor).filter(pk=plan_id).first()
    )
    if found is None:
        raise ApplicationError(PLAN_NOT_FOUND)
    return found


def _lock_meeting(plan: EvaluationPlan) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(plan=plan).first()
    if meeting is None:
        raise ApplicationError(f"方案“{plan.name}”的评审会议尚未开始")
    return meeting


@transaction.atomic
def meeting_open(*, actor: User, plan: EvaluationPlan | int) -> Meeting:
    """开始评审会议: the plan is approved and its panel drawn."""
    found = _lock_plan(actor, plan)
    if found.status != PlanStatus.APPROVED:
        raise ApplicationError(
            f"方案“{found.name}”{found.get_status_display()}，审核通过后才能开始评审会议"
        )
    if selectors.panel_draw_of(found) is None:
        raise ApplicationError(f"方案“{found.name}”尚未抽取评审专家，不能开始评审会议")
    Meeting.objects.get_or_create(plan=found)
    meeting = Meeting.objects.select_for_update().get(plan=found)
    transition(
        meeting,
        "open",
        actor=actor,
        values={"opened_at": timezone.now(), "opened_by": actor},
        operation="meeting_open",
        summary=f"开始评审会议：{found.name}",
    )
    return meeting


@transaction.atomic
def attendance_record(
    *, actor: User, plan: EvaluationPlan | int, present: Iterable[int]
) -> list[Attendance]:
    """登记到会: ``present`` are the ids of the panel experts (members or alternates) who came.
    Seats every present member; for each absent member (in draw order) the first present
    alternate of the same 专家需求 (in draw order) steps in. Replaces the earlier record."""
    found = _lock_plan(actor, plan)
    meeting = _lock_meeting(found)
    if meeting.status != MeetingStatus.OPEN:
        raise ApplicationError(f"评审会议{meeting.get_status_display()}，不能登记到会")
    draw = selectors.panel_draw_of(found)
    members = list(PanelMember.objects.filter(draw=draw).select_related("expert__person"))
    present_ids = {int(pk) for pk in present}
    unknown = present_ids - {m.expert_id for m in members}
    if unknown:
        raise ApplicationError("到会专家须是本方案抽取的评审专家或备选专家")
    rows = selectors.seating(members, present_ids)
    Attendance.objects.filter(meeting=meeting).delete()
    created = Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=row.member,
            expert_id=row.member.expert_id,
            present=row.present,
            seated=row.seated,
            stands_in_for_id=row.stands_in_for_id,
        )
        for row in rows
    )
    seated = sum(row.seated for row in rows)
    operation_record(
        actor=actor,
        operation="attendance",
        obj=meeting,
        summary=f"登记到会：{found.name}，到会 {len(present_ids)} 名，参加评审 {seated} 名",
    )
    return created


@transaction.atomic
def meeting_close(*, actor: User, plan: EvaluationPlan | int) -> list[MeetingResult]:
    """结束评审会议: refused below quorum (naming the shortfall); writes one ``MeetingResult``
    per participant — average score of the seated experts, the tally, passed when 同意 ≥ the
    committee's pass fraction of the seated experts, then cut by the pass-rate cap by score
    rank (``cut_reason`` says why)."""
    found = _lock_plan(actor, plan)
    meeting = _lock_meeting(found)
    if meeting.status != MeetingStatus.OPEN:
        raise ApplicationError(f"评审会议{meeting.get_status_display()}，不能结束")
    if problem := selectors.quorum_problem(meeting):
        raise ApplicationError(problem)
    rows = selectors.meeting_tally(meeting)
    results = MeetingResult.objects.bulk_create(
        MeetingResult(
            meeting=meeting,
            participant_id=row.participant_id,
            score=row.score,
            present=row.present,
            agree=row.agree,
            disagree=row.disagree,
            abstain=row.abstain,
            rank=row.rank,
            passed=row.passed,
            cut_reason=row.cut_reason,
        )
        for row in rows
    )
    passed = sum(row.passed for row in rows)
    transition(
        meeting,
        "close",
        actor=actor,
        values={"closed_at": timezone.now(), "closed_by": actor},
        operation="meeting_close",
        summary=f"结束评审会议：{found.name}，参评 {len(rows)} 人，通过 {passed} 人",
    )
    return results


# --- the expert's side ----------------------------------------------------------------------


def _expert_participant(actor: User, participant: PlanParticipant | int):
    """The participant (on a plan whose panel includes ``actor``), the actor's pool entry, and
    the meeting locked — or the refusal."""
    participant_id = participant.pk if isinstance(participant, PlanParticipant) else participant
    found = (
        selectors.expert_participants(user=actor)
        .select_related("plan", "application__person", "application__employer")
        .filter(pk=participant_id)
        .first()
    )
    if found is None:
        raise ApplicationError(NOT_ON_PANEL)
    expert = Expert.objects.get(committee_id=found.plan.committee_id, account=actor)
    meeting = Meeting.objects.select_for_update().filter(plan_id=found.plan_id).first()
    if meeting is None or meeting.status == MeetingStatus.PENDING:
        raise ApplicationError("评审会议尚未开始")
    if meeting.status == MeetingStatus.CLOSED:
        raise ApplicationError("评审会议已结束，不能再打分或表决")
    if not Attendance.objects.filter(meeting=meeting, expert=expert, seated=True).exists():
        raise ApplicationError("您未登记为到会参加评审的专家，不能打分或表决")
    if reason := selectors.recusal_reason(expert, found):
        raise ApplicationError(f"{reason}，应当回避，不能打分或表决")
    return found, expert, meeting


@transaction.atomic
def score_record(
    *,
    actor: User,
    participant: PlanParticipant | int,
    scores: Mapping[int, Decimal | int | str],
) -> list[Score]:
    """打分: ``scores`` maps 打分细则 item ids of the plan to values within each item's maximum;
    an item scored again is changed (until the meeting closes)."""
    require_perm(actor, "meetings.add_score", "无权打分", error=PermissionDenied)
    found, expert, meeting = _expert_participant(actor, participant)
    items = {item.pk: item for item in found.plan.scoring.all()}
    if not scores:
        raise ApplicationError("请填写打分")
    saved: list[Score] = []
    for raw_id, raw_value in scores.items():
        item = items.get(int(raw_id))
        if item is None:
            raise ApplicationError("打分项目不属于该方案的打分细则")
        try:
            value = Decimal(str(raw_value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise ApplicationError(f"“{item.name}”的得分不是数字") from None
        if not value.is_finite() or value < 0 or value > item.max_score:
            raise ApplicationError(f"“{item.name}”的得分应在 0 至 {item.max_score} 之间")
        score, _created = Score.objects.update_or_create(
            expert=expert,
            participant=found,
            item=item,
            defaults={"meeting": meeting, "value": value},
        )
        saved.append(score)
    return saved


@transaction.atomic
def vote_cast(*, actor: User, participant: PlanParticipant | int, choice: str) -> Vote:
    """表决 同意 / 不同意 / 弃权 on one participant, secret; one vote per expert and participant
    (voting again changes it until the meeting closes). No proxy votes: only the seated expert's
    own login votes, and not on a participant they are 回避 for."""
    require_perm(actor, "meetings.add_vote", "无权表决", error=PermissionDenied)
    if choice not in VoteChoice.values:
        raise ApplicationError("请选择表决意见：同意、不同意或弃权")
    found, expert, meeting = _expert_participant(actor, participant)
    vote, _created = Vote.objects.update_or_create(
        expert=expert, participant=found, defaults={"meeting": meeting, "choice": choice}
    )
    operation_record(
        actor=actor,
        operation="vote",
        obj=meeting,
        summary=f"专家 {expert.person.name} 对参评人员 {found.application.person.name} 表决",
    )
    return vote


# --- pass-rate caps -------------------------------------------------------------------------


@transaction.atomic
def pass_rate_cap_set(*, actor: User, year: int, level: str, max_percent: int) -> PassRateCap:
    """设置通过率上限 of a year and level (正高级 / 副高级), for every committee's meetings."""
    require_perm(actor, "meetings.change_passratecap", "无权设置通过率上限", error=PermissionDenied)
    cap = PassRateCap.objects.select_for_update().filter(year=year, level=level).first()
    before = cap.max_percent if cap else None
    if cap is None:
        cap = PassRateCap(year=year, level=level)
    cap.max_percent = max_percent
    cap.updated_by = actor
    full_clean_or_raise(cap)
    cap.save()
    operation_record(
        actor=actor,
        operation="update" if before is not None else "create",
        obj=cap,
        summary=f"设置{cap}",
        changes={"max_percent": [before, max_percent]} if before is not None else None,
    )
    return cap

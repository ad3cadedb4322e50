"""Writes of 评后公示, 异议 and 1.15 职称评审结果备案 — each atomic, locking the row it changes,
every status move through the workflow kernel, each business action in the operation log.

- ``publicity_publish``: the committee publishes a closed meeting's passed list; the end date
  is computed (≥ 5 working days on the Chinese calendar).
- ``objection_record`` / ``objection_resolve``: an objection against a participant on the list;
  成立 takes the participant off it (the objection's 处理意见 is the reason), 不成立 leaves it.
- ``filing_send``: once the period has ended and every objection is resolved, the committee
  sends the plan for filing to the organization that approved the plan (again after 不通过).
- ``filing_review``: an HR officer of that organization (exactly that level) files it:
  审核通过 with 备案文号 and 备案时间 grants each participant on the list the title
  (``titles.services.title_holdings_grant``), 审核不通过 returns it with the opinion. The filing
  row is locked, so two concurrent reviews take effect once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod
from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.filings import selectors
from zhicheng.filings.models import (
    PUBLICITY_WORKDAYS,
    TEXT_MAX,
    FilingStatus,
    Objection,
    ObjectionStatus,
    Publicity,
    ResultFiling,
)
from zhicheng.inbox.models import MessageKind
from zhicheng.inbox.services import Outgoing, messages_send
from zhicheng.meetings.models import Meeting, MeetingStatus
from zhicheng.plans.models import EvaluationPlan, PlanParticipant, PlanStatus
from zhicheng.titles.services import TitleGrant, title_holdings_grant

PUBLISH = "filings.publish_publicity"
REVIEW = "filings.review_resultfiling"
SOURCE_MAX = 200
FILING_NUMBER_MAX = 100


def _text(value: str, label: str, *, required: bool, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(f"请填写{label}")
    if len(value) > limit:
        raise ApplicationError(f"{label}不能超过 {limit} 字")
    return value


def _lock_committee_plan(actor: User, plan: EvaluationPlan | int) -> EvaluationPlan:
    """The actor's own committee's plan, locked (the publicity and filing of a plan change one
    at a time)."""
    require_perm(actor, PUBLISH)
    plan_id = plan.pk if isinstance(plan, EvaluationPlan) else plan
    locked = (
        EvaluationPlan.objects.select_for_update(of=("self",))
        .select_related("committee", "reviewed_by__organization")
        .filter(pk=plan_id, committee__account=actor)
        .first()
    )
    if locked is None:
        raise ApplicationError("呈报方案不存在，或不是本评委会的方案")
    return locked


def publicity_end(starts_on: dt.date) -> dt.date:
    """The last day of a publicity starting on ``starts_on``: its 5th working day."""
    return workdays.add_workdays(starts_on, PUBLICITY_WORKDAYS)


@transaction.atomic
def publicity_publish(
    *, actor: User, plan: EvaluationPlan | int, starts_on: dt.date, note: str = ""
) -> Publicity:
    """发布评后公示: the passed list of the plan's closed meeting, from ``starts_on`` (not before
    the meeting closed) for ≥ 5 working days."""
    locked = _lock_committee_plan(actor, plan)
    if locked.status != PlanStatus.APPROVED:
        raise ApplicationError("方案未审核通过，不能公示")
    meeting = Meeting.objects.filter(plan=locked).first()
    if meeting is None or meeting.status != MeetingStatus.CLOSED:
        raise ApplicationError("评审会议尚未结束，不能公示")
    if Publicity.objects.filter(plan=locked).exists():
        raise ApplicationError("该方案已发布评后公示")
    if starts_on is None:
        raise ApplicationError("请选择公示开始日期")
    closed_on = timezone.localdate(meeting.closed_at) if meeting.closed_at else None
    if closed_on and starts_on < closed_on:
        raise ApplicationError(f"公示开始日期不能早于评审会议结束日期（{closed_on:%Y-%m-%d}）")
    passed = selectors.publicity_passed(plan=locked).count()
    if not passed:
        raise ApplicationError("评审会议没有通过人员，无需公示")
    publicity = Publicity(
        plan=locked,
        starts_on=starts_on,
        ends_on=publicity_end(starts_on),
        note=_text(note, "公示说明", required=False, limit=500),
        published_by=actor,
    )
    publicity.save()
    operation_record(
        actor=actor,
        operation="publish",
        obj=publicity,
        summary=f"发布评后公示“{locked.name}”：通过 {passed} 人，公示期 {publicity.period_display}",
    )
    return publicity


def _open_publicity(locked_plan: EvaluationPlan) -> Publicity:
    publicity = Publicity.objects.filter(plan=locked_plan).first()
    if publicity is None:
        raise ApplicationError("该方案尚未发布评后公示")
    filing = ResultFiling.objects.filter(plan=locked_plan).first()
    if filing is not None and filing.status != FilingStatus.REJECTED:
        raise ApplicationError(f"该方案已报送备案（{filing.get_status_display()}），不能再处理异议")
    return publicity


@transaction.atomic
def objection_record(
    *, actor: User, participant: PlanParticipant | int, content: str, source: str
) -> Objection:
    """登记异议 against a participant on the published passed list."""
    participant_id = participant.pk if isinstance(participant, PlanParticipant) else participant
    row = PlanParticipant.objects.filter(pk=participant_id).only("plan_id").first()
    if row is None:
        raise ApplicationError("参评人员不存在")
    locked = _lock_committee_plan(actor, row.plan_id)
    publicity = _open_publicity(locked)
    if not selectors.publicity_passed(plan=locked).filter(participant_id=participant_id).exists():
        raise ApplicationError("该人员不在公示的通过名单中")
    objection = Objection(
        publicity=publicity,
        participant_id=participant_id,
        content=_text(content, "异议内容", required=True),
        source=_text(source, "异议来源", required=True, limit=SOURCE_MAX),
        recorded_by=actor,
    )
    objection.save()
    operation_record(
        actor=actor,
        operation="objection",
        obj=objection,
        summary=f"登记异议：{locked.name}（参评人员 #{participant_id}），来源：{objection.source}",
    )
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: User, objection: Objection | int, upheld: bool, resolution: str
) -> Objection:
    """处理异议: 成立 takes the participant off the passed list with ``resolution`` as the reason;
    不成立 leaves them on it. A required 处理意见 either way."""
    objection_id = objection.pk if isinstance(objection, Objection) else objection
    row = Objection.objects.filter(pk=objection_id).select_related("publicity").first()
    if row is None:
        raise ApplicationError("异议不存在")
    locked_plan = _lock_committee_plan(actor, row.publicity.plan_id)
    _open_publicity(locked_plan)
    locked = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("participant__application__person")
        .get(pk=objection_id)
    )
    resolution = _text(resolution, "处理意见", required=True)
    transition(
        locked,
        "uphold" if upheld else "dismiss",
        actor=actor,
        opinion=resolution,
        values={"resolution": resolution, "resolved_by": actor, "resolved_at": timezone.now()},
        operation="objection_resolve",
        summary=lambda: (
            f"处理异议：{locked.participant.application.person.name}（{locked_plan.name}）"
            f"异议{locked.get_status_display()}：{resolution}"
        ),
    )
    return locked


@transaction.atomic
def filing_send(*, actor: User, plan: EvaluationPlan | int) -> ResultFiling:
    """报送备案: after the publicity has ended with every objection resolved, to the HR
    organization that approved the plan; after 审核不通过, again (corrected)."""
    locked = _lock_committee_plan(actor, plan)
    publicity = Publicity.objects.filter(plan=locked).first()
    if publicity is None:
        raise ApplicationError("该方案尚未发布评后公示")
    if not publicity.has_ended:
        raise ApplicationError(f"公示期（{publicity.period_display}）尚未结束，不能报送备案")
    pending = publicity.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        raise ApplicationError(f"还有 {pending} 条异议未处理，请先处理全部异议")
    reviewer = locked.reviewed_by
    if reviewer is None or reviewer.organization_id is None:
        raise ApplicationError("无法确定方案的审核机构，不能报送备案")
    now = timezone.now()
    filing = ResultFiling.objects.select_for_update().filter(plan=locked).first()
    if filing is None:
        filing = ResultFiling.objects.create(
            plan=locked,
            filing_organization_id=reviewer.organization_id,
            sent_by=actor,
            sent_at=now,
        )
        operation_record(
            actor=actor,
            operation="filing_send",
            obj=filing,
            summary=f"报送备案：{locked.name}（{reviewer.organization.name}）",
        )
        return filing
    transition(
        filing,
        "send",
        actor=actor,
        values={"sent_by": actor, "sent_at": now, "send_count": filing.send_count + 1},
        operation="filing_send",
        summary=lambda: f"重新报送备案：{locked.name}（第 {filing.send_count} 次）",
    )
    return filing


def _lock_filing(actor: User, filing: ResultFiling | int) -> ResultFiling:
    require_perm(actor, REVIEW, "您无权进行职称评审结果备案")
    filing_id = filing.pk if isinstance(filing, ResultFiling) else filing
    locked = (
        scoped(ResultFiling.objects.select_related("plan__committee"), actor)
        .select_for_update(of=("self",))
        .filter(pk=filing_id)
        .first()
    )
    if locked is None:
        raise ApplicationError("备案记录不存在或不在您的管辖范围内")
    if actor.organization_id != locked.filing_organization_id:
        raise ApplicationError("只有审核该方案的人社部门可以备案")
    return locked


def _result_notice(plan: EvaluationPlan, row: tuple, *, passed: bool, number: str) -> Outgoing:
    application_id, applicant_id, year, title = row
    if passed:
        body = (
            f"{plan.committee.name}评审通过，经人社部门备案（备案文号 {number}），"
            f"您已取得{title}职称资格。"
        )
    else:
        body = f"您参加的{plan.committee.name}“{plan.name}”评审未通过。"
    return Outgoing(
        recipient_id=applicant_id,
        kind=MessageKind.RESULT,
        title=f"{year}年“{title}”申报：评审{'通过' if passed else '未通过'}",
        body=body,
        link=reverse("applications:application-detail", args=[application_id]),
    )


def _results_notify(plan: EvaluationPlan, *, passed_ids: set[int], number: str) -> None:
    """Each participant's applicant learns the result (评审通过 / 未通过) in his 消息, in the
    filing's transaction: one read and one insert, whatever the plan's size."""
    participants = PlanParticipant.objects.filter(plan=plan).values_list(
        "application_id",
        "application__applicant_id",
        "application__year",
        "application__title__name",
    )
    messages_send(
        _result_notice(plan, row, passed=row[0] in passed_ids, number=number)
        for row in participants
    )


@transaction.atomic
def filing_review(
    *,
    actor: User,
    filing: ResultFiling | int,
    approved: bool,
    opinion: str = "",
    filing_number: str = "",
    filed_on: dt.date | None = None,
) -> ResultFiling:
    """审核 (1.15): 审核通过 with 备案文号 and 备案时间 — each participant who passed 公示 now
    holds the title; 审核不通过 with 审核意见 — back to the committee."""
    locked = _lock_filing(actor, filing)
    if locked.status != FilingStatus.PENDING:
        raise ApplicationError(f"该方案的备案已处理（{locked.get_status_display()}），请刷新页面")
    opinion = _text(opinion, "审核意见", required=not approved)
    filing_number = _text(filing_number, "备案文号", required=approved, limit=FILING_NUMBER_MAX)
    if approved and filed_on is None:
        raise ApplicationError("请填写备案时间")
    if approved and filed_on > workdays.today():
        raise ApplicationError("备案时间不能晚于今天")
    plan = locked.plan
    granted = 0
    if approved:
        grants = [
            TitleGrant(
                person_id=person_id,
                title_id=title_id,
                level=level,
                specialty_id=specialty_id,
                acquisition_method=AcquisitionMethod.EVALUATION,
                approved_on=filed_on,
                approving_organization_id=locked.filing_organization_id,
                application_id=application_id,
                document_number=filing_number,
            )
            for application_id, person_id, title_id, level, specialty_id in (
                selectors.publicity_passed_grants(plan=plan)
            )
        ]
        granted = len(title_holdings_grant(actor=actor, grants=grants))
        _results_notify(
            plan, passed_ids={grant.application_id for grant in grants}, number=filing_number
        )
    transition(
        locked,
        "approve" if approved else "reject",
        actor=actor,
        opinion=opinion,
        values={
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
            "opinion": opinion,
            "filing_number": filing_number if approved else "",
            "filed_on": filed_on if approved else None,
            "granted_count": granted,
        },
        operation="filing",
        summary=lambda: (
            f"职称评审结果备案“{plan.name}”：{locked.get_status_display()}"
            + (f"，备案文号 {filing_number}，取得职称 {granted} 人" if approved else "")
            + (f"（{opinion}）" if opinion else "")
        ),
    )
    return locked

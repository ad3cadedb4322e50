"""Writes of 呈报方案. A committee account compiles its committee's plan (方案信息, 参评人员,
专家需求, 打分细则, 附件) while it is 草稿 or 审核不通过, and submits it; a reviewer of the plan's
kind (正常 / 特殊) approves it or returns it with an opinion (1.13, 1.14). Every write locks the
plan row, so a double submit or two reviewers at once take effect once."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.applications.models import LEVEL_COMMITTEE_KIND, Application, ApplicationStatus
from zhicheng.catalog.models import AcquisitionMethod, Specialty
from zhicheng.committees import selectors as committee_selectors
from zhicheng.committees.models import CommitteeSpecialty
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.files import (
    check_attachment,
    random_stored_name,
    save_with_file,
    uploaded_name,
)
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.plans.models import (
    EvaluationPlan,
    ExpertLevel,
    ExpertRequirement,
    PlanAttachment,
    PlanParticipant,
    PlanStatus,
    ScoringItem,
)
from zhicheng.windows import selectors as window_selectors
from zhicheng.windows.models import ApplicationWindow

COMPILE = "plans.change_evaluationplan"
REVIEW_NORMAL = "plans.review_normal_plan"
REVIEW_SPECIAL = "plans.review_special_plan"
FULL_MARKS = 100
OPINION_MAX = 1000


def review_permission(plan: EvaluationPlan) -> str:
    """正常 and 特殊 plans are reviewed by different people (1.13 / 1.14)."""
    return REVIEW_SPECIAL if plan.is_special else REVIEW_NORMAL


def qualified_applications(committee_id: int):
    """Applications qualified for the committee's evaluation: 评审, approved up to the committee."""
    return Application.objects.filter(
        committee_id=committee_id,
        acquisition_method=AcquisitionMethod.EVALUATION,
        status=ApplicationStatus.APPROVED,
    )


def expert_specialties(plan: EvaluationPlan):
    """The committee's 评审专业 and the specialties under them: where its experts are needed."""
    paths = CommitteeSpecialty.objects.filter(committee_id=plan.committee_id).values_list(
        "specialty__path", flat=True
    )
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return Specialty.objects.filter(under).order_by("path") if paths else Specialty.objects.none()


def _lock_for_committee(actor: User, plan: EvaluationPlan | int) -> EvaluationPlan:
    """The plan of the actor's own committee, locked, still open to changes."""
    require_perm(actor, COMPILE)
    plan_id = plan.pk if isinstance(plan, EvaluationPlan) else plan
    locked = (
        EvaluationPlan.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=plan_id, committee__account=actor)
        .first()
    )
    if locked is None:
        raise ApplicationError("呈报方案不存在，或不是本评委会的方案")
    if not locked.is_editable:
        raise ApplicationError(f"方案{locked.get_status_display()}，不能修改")
    return locked


def committee_levels(committee) -> list[str]:
    """The 职称级别 a committee evaluates (高评会: 正高级, 副高级; …)."""
    return [level for level, kind in LEVEL_COMMITTEE_KIND.items() if kind == committee.level]


def _check_window(plan: EvaluationPlan, window: ApplicationWindow | None) -> None:
    """申报批次: a plan may take the participants of one window of its committee's series and
    levels and of its year; participants already in the plan must be of that window."""
    if window is None:
        return
    fits = window_selectors.windows_for_committee(
        series_id=plan.committee.series_id, levels=committee_levels(plan.committee)
    ).filter(pk=window.pk)
    if not fits.exists():
        raise ApplicationError(f"申报批次“{window}”不属于本评委会评审的职称系列和级别")
    if window.year != plan.year:
        raise ApplicationError(
            f"申报批次“{window}”为{window.year}年度，与方案的评审年度（{plan.year}）不一致"
        )
    if plan.pk:
        other = (
            PlanParticipant.objects.filter(plan=plan)
            .exclude(application__window=window)
            .select_related("application__person")
            .first()
        )
        if other is not None:
            raise ApplicationError(
                f"方案中的参评人员 {other.application.person.name} 不属于申报批次“{window}”，"
                "请先移出后再选择该批次"
            )


def _check_plan_fields(plan: EvaluationPlan) -> None:
    plan.name = (plan.name or "").strip()
    plan.special_reason = (plan.special_reason or "").strip()
    if not plan.name:
        raise ApplicationError("请填写方案名称")
    this_year = timezone.localdate().year
    if not (this_year - 1 <= (plan.year or 0) <= this_year + 1):
        raise ApplicationError(f"评审年度应在 {this_year - 1}–{this_year + 1} 之间")
    if plan.is_special and not plan.special_reason:
        raise ApplicationError("特殊方案须填写特殊情况说明")
    if not plan.is_special:
        plan.special_reason = ""
    full_clean_or_raise(plan)


@transaction.atomic
def plan_create(
    *,
    actor: User,
    name: str,
    year: int,
    is_special: bool = False,
    special_reason: str = "",
    meeting_date: datetime.date | None = None,
    note: str = "",
    window: ApplicationWindow | None = None,
) -> EvaluationPlan:
    """新建呈报方案 for the actor's committee (a committee account), as 草稿."""
    require_perm(actor, "plans.add_evaluationplan")
    committee = committee_selectors.committee_for_account(user=actor)
    if committee is None:
        raise ApplicationError("只有评委会账号可以编制呈报方案")
    if not committee.is_active:
        raise ApplicationError("评委会已注销，不能编制呈报方案")
    plan = EvaluationPlan(
        committee=committee,
        name=name,
        year=year,
        is_special=is_special,
        special_reason=special_reason,
        meeting_date=meeting_date,
        note=(note or "").strip(),
        created_by=actor,
        window=window,
    )
    _check_plan_fields(plan)
    _check_window(plan, window)
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: EvaluationPlan | int, **fields) -> EvaluationPlan:
    """修改方案信息 (name, year, 正常/特殊 and its reason, meeting date, note, 申报批次)."""
    locked = _lock_for_committee(actor, plan)
    for name in ("name", "year", "is_special", "special_reason", "meeting_date", "note", "window"):
        if name in fields:
            setattr(locked, name, fields[name])
    _check_plan_fields(locked)
    _check_window(locked, locked.window)
    locked.save()
    return locked


@transaction.atomic
def plan_participants_add(
    *, actor: User, plan: EvaluationPlan | int, application_ids: list[int]
) -> int:
    """参评人员: add qualified applications of the committee not yet in one of its plans (a plan
    returned as 审核不通过 keeps its own). Answers how many were added."""
    locked = _lock_for_committee(actor, plan)
    if not application_ids:
        raise ApplicationError("请勾选要加入的参评人员")
    ids = set(application_ids)
    qualified = set(
        qualified_applications(locked.committee_id).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if qualified != ids:
        raise ApplicationError("所选人员中有不具备本评委会参评资格的申报，请刷新后重新勾选")
    if locked.window_id is not None:
        outside = (
            Application.objects.filter(pk__in=ids)
            .exclude(window_id=locked.window_id)
            .select_related("person")
            .first()
        )
        if outside is not None:
            raise ApplicationError(
                f"{outside.person.name} 的申报不属于本方案的申报批次“{locked.window}”，不能加入"
            )
    taken = PlanParticipant.objects.filter(application_id__in=ids).exclude(plan=locked)
    if taken.exists():
        other = taken.select_related("plan", "application__person").first()
        raise ApplicationError(
            f"{other.application.person.name} 已在方案“{other.plan.name}”中，不能重复加入"
        )
    already = set(
        PlanParticipant.objects.filter(plan=locked, application_id__in=ids).values_list(
            "application_id", flat=True
        )
    )
    new = sorted(ids - already)
    PlanParticipant.objects.bulk_create(
        PlanParticipant(plan=locked, application_id=pk) for pk in new
    )
    operation_record(
        actor=actor, operation="update", obj=locked, summary=f"加入参评人员 {len(new)} 人"
    )
    return len(new)


@transaction.atomic
def plan_participant_remove(*, actor: User, participant: PlanParticipant) -> None:
    locked = _lock_for_committee(actor, participant.plan_id)
    deleted, _ = PlanParticipant.objects.filter(pk=participant.pk, plan=locked).delete()
    if not deleted:
        raise ApplicationError("该参评人员已移出")


@transaction.atomic
def expert_requirement_add(
    *,
    actor: User,
    plan: EvaluationPlan | int,
    specialty: Specialty,
    level: str,
    count: int,
    note: str = "",
) -> ExpertRequirement:
    locked = _lock_for_committee(actor, plan)
    if specialty is None:
        raise ApplicationError("请选择专家专业")
    if not expert_specialties(locked).filter(pk=specialty.pk).exists():
        raise ApplicationError(f"专业“{specialty.name}”不在本评委会的评审专业范围内")
    if level not in ExpertLevel.values:
        raise ApplicationError("请选择专家职称级别")
    if not count or not 1 <= count <= 99:
        raise ApplicationError("专家人数应为 1–99")
    requirement = ExpertRequirement(
        plan=locked, specialty=specialty, level=level, count=count, note=(note or "").strip()
    )
    full_clean_or_raise(requirement)
    requirement.save()
    return requirement


@transaction.atomic
def expert_requirement_remove(*, actor: User, requirement: ExpertRequirement) -> None:
    locked = _lock_for_committee(actor, requirement.plan_id)
    ExpertRequirement.objects.filter(pk=requirement.pk, plan=locked).delete()


@transaction.atomic
def scoring_item_add(
    *, actor: User, plan: EvaluationPlan | int, name: str, max_score: int, description: str = ""
) -> ScoringItem:
    locked = _lock_for_committee(actor, plan)
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写打分项目")
    if not max_score or not 1 <= max_score <= FULL_MARKS:
        raise ApplicationError(f"分值应为 1–{FULL_MARKS}")
    used = sum(locked.scoring.values_list("max_score", flat=True))
    if used + max_score > FULL_MARKS:
        raise ApplicationError(
            f"打分细则总分不能超过 {FULL_MARKS} 分（已有 {used} 分，本项 {max_score} 分）"
        )
    item = ScoringItem(
        plan=locked, name=name, max_score=max_score, description=(description or "").strip()
    )
    full_clean_or_raise(item)
    item.save()
    return item


@transaction.atomic
def scoring_item_remove(*, actor: User, item: ScoringItem) -> None:
    locked = _lock_for_committee(actor, item.plan_id)
    ScoringItem.objects.filter(pk=item.pk, plan=locked).delete()


def plan_attachment_add(*, actor: User, plan: EvaluationPlan | int, upload) -> PlanAttachment:
    """方案附件: PDF/JPG/PNG checked by content, ≤ 20 MB."""
    with transaction.atomic():
        locked = _lock_for_committee(actor, plan)
        checked = check_attachment(upload)
        attachment = PlanAttachment(
            plan=locked,
            stored_name=random_stored_name(checked),
            original_name=uploaded_name(upload, checked),
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        save_with_file(attachment, upload)
    return attachment


@transaction.atomic
def plan_attachment_remove(*, actor: User, attachment: PlanAttachment) -> None:
    locked = _lock_for_committee(actor, attachment.plan_id)
    deleted, _ = PlanAttachment.objects.filter(pk=attachment.pk, plan=locked).delete()
    if deleted:
        transaction.on_commit(lambda: attachment.file.storage.delete(attachment.file.name))


@transaction.atomic
def plan_submit(*, actor: User, plan: EvaluationPlan | int) -> EvaluationPlan:
    """呈报: a complete plan (participants, experts, scoring rules adding up to 100) goes to the
    reviewers of its kind."""
    locked = _lock_for_committee(actor, plan)
    missing = [
        label
        for label, present in (
            ("参评人员", locked.participants.exists()),
            ("专家需求", locked.experts.exists()),
            ("打分细则", locked.scoring.exists()),
        )
        if not present
    ]
    if missing:
        raise ApplicationError(f"方案不完整，请先填写：{'、'.join(missing)}")
    total = sum(locked.scoring.values_list("max_score", flat=True))
    if total != FULL_MARKS:
        raise ApplicationError(f"打分细则总分应为 {FULL_MARKS} 分，现为 {total} 分")
    transition(
        locked,
        "submit",
        actor=actor,
        values={"submitted_at": timezone.now()},
        summary=(
            f"{locked.committee.name}呈报{locked.year}年度{locked.kind_display}“{locked.name}”"
        ),
    )
    return locked


@transaction.atomic
def plan_review(
    *, actor: User, plan: EvaluationPlan | int, approved: bool, opinion: str = ""
) -> EvaluationPlan:
    """审核 (1.13 正常 / 1.14 特殊): 审核通过, or 审核不通过 with a required opinion, which hands
    the plan back to the committee to correct and submit again."""
    plan_id = plan.pk if isinstance(plan, EvaluationPlan) else plan
    locked = (
        scoped(EvaluationPlan.objects.select_related("committee"), actor)
        .select_for_update(of=("self",))
        .filter(pk=plan_id)
        .first()
    )
    if locked is None:
        raise ApplicationError("呈报方案不存在或不在您的管辖范围内")
    require_perm(
        actor,
        review_permission(locked),
        f"您无权审核{locked.kind_display}（正常方案与特殊方案由不同人员审核）",
        error=PermissionDenied,
    )
    if locked.status != PlanStatus.SUBMITTED:
        raise ApplicationError(f"该方案已被处理（{locked.get_status_display()}），请刷新页面")
    opinion = (opinion or "").strip()
    if not approved and not opinion:
        raise ApplicationError("审核不通过须填写审核意见")
    if len(opinion) > OPINION_MAX:
        raise ApplicationError(f"审核意见不能超过 {OPINION_MAX} 字")
    transition(
        locked,
        "approve" if approved else "reject",
        actor=actor,
        opinion=opinion,
        values={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_opinion": opinion},
        summary=lambda: (
            f"审核{locked.committee.name}的{locked.kind_display}“{locked.name}”："
            f"{locked.get_status_display()}" + (f"（{opinion}）" if opinion else "")
        ),
        operation="review",
    )
    return locked

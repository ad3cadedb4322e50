"""Writes of 专家库 (expert pool) and the draw of a plan's panel (issue 12).

Every write is atomic, keyword-only, takes ``actor`` and is written to the operation log. The
pool is maintained by HR officers (for the committees their subtree manages) and by a committee
account (its own pool); the draw only by the committee account of the plan.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create, user_reset_password
from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees.models import Committee
from zhicheng.committees.services import account_name_problem
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.experts.models import (
    Expert,
    ExpertLevel,
    ExpertStatus,
    PanelDraw,
    PanelMember,
    PanelRole,
)
from zhicheng.orgs.models import Organization
from zhicheng.persons.models import IdType
from zhicheng.persons.services import person_get_or_create
from zhicheng.plans.models import EvaluationPlan, ExpertRequirement, PlanParticipant, PlanStatus
from zhicheng.plans.models import ExpertLevel as RequiredLevel

NOT_FOUND = "专家不存在或不在管辖范围内"
PLAN_NOT_FOUND = "呈报方案不存在或不在管辖范围内"
# Seeds are shown to people and typed back to check a draw: twelve digits at most.
SEED_LIMIT = 10**12


# --- the pool -------------------------------------------------------------------------------


def pool_committee(*, actor: User, committee: Committee | int | None) -> Committee:
    """The committee whose pool ``actor`` writes: a committee account its own (whatever is
    given), an HR officer the one given, among the committees their subtree manages."""
    if actor.is_committee:
        own = Committee.objects.filter(account=actor).first()
        if own is None:
            raise ApplicationError("您的账号未关联评委会")
        committee_id = committee.pk if isinstance(committee, Committee) else committee
        if committee_id not in (None, own.pk):
            raise ApplicationError("评委会账号只能维护本评委会的专家库")
        found = own
    else:
        if committee is None:
            raise ApplicationError("请选择评委会")
        committee_id = committee.pk if isinstance(committee, Committee) else committee
        found = scoped(Committee.objects.all(), actor).filter(pk=committee_id).first()
        if found is None:
            raise ApplicationError("评委会不存在或不在管辖范围内")
    if not found.is_active:
        raise ApplicationError(f"评委会“{found.name}”已注销，不能维护专家库")
    return found


def _check_fields(*, level: str, term_start: dt.date | None, term_end: dt.date | None) -> None:
    if level not in ExpertLevel.values:
        raise ApplicationError("请选择有效的职称级别（正高级、副高级）")
    if term_start is None or term_end is None:
        raise ApplicationError("请填写聘任期起止日期")
    if term_end < term_start:
        raise ApplicationError(
            f"聘任期止（{term_end:%Y-%m-%d}）不能早于聘任期起（{term_start:%Y-%m-%d}）"
        )


def _account_for(*, person, username: str, password: str | None, must_change_password: bool):
    """The expert login of ``person``: the one of their other pools, or a new one (role
    评审专家). Returns (account, initial password — empty when the login already existed)."""
    existing = Expert.objects.filter(person=person).select_related("account").first()
    if existing is not None:
        return existing.account, ""
    username = (username or "").strip() or f"zj{person.pk:06d}"
    if problem := account_name_problem(username):
        raise ApplicationError(problem.replace("评委会账号", "专家账号"))
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"专家账号“{username}”已被使用，请更换")
    return user_create(
        username=username,
        organization=None,
        roles=[Role.EXPERT],
        real_name=person.name,
        phone=person.mobile,
        password=password,
        must_change_password=must_change_password,
    )


@dataclass(frozen=True)
class ExpertAdded:
    expert: Expert
    username: str
    initial_password: str  # shown once; empty when the person already had an expert login


@transaction.atomic
def expert_add(
    *,
    actor: User,
    committee: Committee | int | None = None,
    id_type: str = IdType.RESIDENT_ID,
    id_number: str,
    name: str,
    mobile: str = "",
    series: TitleSeries,
    specialty: Specialty,
    level: str,
    employer: Organization,
    term_start: dt.date,
    term_end: dt.date,
    username: str = "",
    password: str | None = None,
    must_change_password: bool = True,
) -> ExpertAdded:
    """入库: a person (registered on the fly when unknown) joins the committee's pool with a
    login of role 评审专家 (``username`` or ``zj`` + the person's number)."""
    require_perm(actor, "experts.add_expert", "无权维护专家库", error=PermissionDenied)
    owner = pool_committee(actor=actor, committee=committee)
    _check_fields(level=level, term_start=term_start, term_end=term_end)
    if series is None or specialty is None or employer is None:
        raise ApplicationError("请填写职称系列、专业和工作单位")
    # Experts come from anywhere in the province: the person is registered by the system, not
    # within the actor's subtree.
    person, _created = person_get_or_create(
        actor=None, id_type=id_type, id_number=id_number, name=name, mobile=mobile,
        organization=employer,
    )  # fmt: skip
    if Expert.objects.filter(committee=owner, person=person).exists():
        raise ApplicationError(f"{person.name}已在“{owner.name}”的专家库中")
    account, initial_password = _account_for(
        person=person,
        username=username,
        password=password,
        must_change_password=must_change_password,
    )
    expert = Expert(
        committee=owner,
        person=person,
        account=account,
        series=series,
        specialty=specialty,
        level=level,
        employer=employer,
        term_start=term_start,
        term_end=term_end,
        created_by=actor,
    )
    full_clean_or_raise(expert)
    expert.save()
    operation_record(
        actor=actor,
        operation="create",
        obj=expert,
        summary=(
            f"专家入库 {person.name}（{owner.name}，{specialty.name}，"
            f"{expert.get_level_display()}，账号 {account.username}）"
        ),
    )
    return ExpertAdded(expert=expert, username=account.username, initial_password=initial_password)


def _lock_in_scope(*, actor: User, expert: Expert | int) -> Expert:
    expert_id = expert.pk if isinstance(expert, Expert) else expert
    locked = (
        scoped(Expert.objects.select_for_update(of=("self",)), actor)
        .select_related("person", "committee", "account")
        .filter(pk=expert_id)
        .first()
    )
    if locked is None:
        raise ApplicationError(NOT_FOUND)
    return locked


UPDATABLE = ("series", "specialty", "level", "employer", "term_start", "term_end")


@transaction.atomic
def expert_update(*, actor: User, expert: Expert | int, **fields) -> Expert:
    """修改: series, specialty, level, employer and term (``None`` = unchanged)."""
    require_perm(actor, "experts.change_expert", "无权维护专家库", error=PermissionDenied)
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ApplicationError(f"不能修改：{'、'.join(sorted(unknown))}")
    locked = _lock_in_scope(actor=actor, expert=expert)
    before = {name: str(getattr(locked, name)) for name in UPDATABLE}
    for name, value in fields.items():
        if value is not None:
            setattr(locked, name, value)
    _check_fields(level=locked.level, term_start=locked.term_start, term_end=locked.term_end)
    full_clean_or_raise(locked)
    locked.save()
    after = {name: str(getattr(locked, name)) for name in UPDATABLE}
    operation_record(
        actor=actor,
        operation="update",
        obj=locked,
        summary=f"修改专家 {locked.person.name}",
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return locked


def _save_checked(expert: Expert) -> None:
    full_clean_or_raise(expert)
    expert.save()


@transaction.atomic
def expert_leave(*, actor: User, expert: Expert | int, reason: str) -> Expert:
    """出库: the expert is no longer drawn; the reason is required and kept."""
    require_perm(actor, "experts.leave_expert", "无权办理专家出库", error=PermissionDenied)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写出库原因")
    locked = _lock_in_scope(actor=actor, expert=expert)
    transition(
        locked,
        "leave",
        actor=actor,
        values={"leave_reason": reason, "left_at": timezone.now()},
        save=_save_checked,
        summary=f"专家出库 {locked.person.name}（{locked.committee.name}）：{reason}",
    )
    return locked


@transaction.atomic
def expert_return(*, actor: User, expert: Expert | int) -> Expert:
    """重新入库 of an expert who left (the earlier reason stays in the operation log)."""
    require_perm(actor, "experts.leave_expert", "无权办理专家入库", error=PermissionDenied)
    locked = _lock_in_scope(actor=actor, expert=expert)
    transition(
        locked,
        "rejoin",
        actor=actor,
        values={"leave_reason": "", "left_at": None},
        save=_save_checked,
        summary=f"专家重新入库 {locked.person.name}（{locked.committee.name}）",
    )
    return locked


@transaction.atomic
def expert_account_reset_password(*, actor: User, expert: Expert | int) -> str:
    """重置专家账号密码: a new initial password, shown once (also how imported experts get
    theirs)."""
    require_perm(actor, "experts.change_expert", "无权维护专家库", error=PermissionDenied)
    locked = _lock_in_scope(actor=actor, expert=expert)
    password = user_reset_password(actor=None, user=locked.account)
    operation_record(
        actor=actor,
        operation="reset_password",
        obj=locked,
        summary=f"重置专家 {locked.person.name} 的账号 {locked.account.username} 的密码",
    )
    return password


# --- the draw -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    requirement_id: int
    expert_id: int
    role: str


def _eligible_ids(plan: EvaluationPlan, requirement: ExpertRequirement, on: dt.date) -> list[int]:
    """The experts one requirement may draw, in a fixed order (by id) so that a seed always
    picks the same ones: in the plan committee's pool, 在库, in term on ``on``, of the
    requirement's specialty (or a narrower one) and level — less the 回避 (an expert working for a participant's
    employer, or who is a participant)."""
    # 回避 as a subquery: a plan of 2,000 participants is not read into Python for each need.
    conflicted = PlanParticipant.objects.filter(plan=plan).filter(
        Q(application__employer_id=OuterRef("employer_id"))
        | Q(application__person_id=OuterRef("person_id"))
    )
    # The requirement's specialty or one beneath it (a need of 机械 is met by 机械工程).
    qs = Expert.objects.filter(
        committee_id=plan.committee_id,
        status=ExpertStatus.IN_POOL,
        specialty__path__startswith=requirement.specialty.path,
        term_start__lte=on,
        term_end__gte=on,
    )
    if requirement.level == RequiredLevel.SENIOR_FULL:
        qs = qs.filter(level=ExpertLevel.FULL)
    qs = qs.filter(~Exists(conflicted))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def panel_select(*, plan: EvaluationPlan, seed: int, on: dt.date | None = None) -> list[Seat]:
    """The panel ``seed`` draws from the pool as it is (a pure read): for each requirement (in
    the order entered), 2 × count experts at random, the first half members, the second half
    alternates; nobody twice. Too few eligible experts is refused, naming each specialty short.
    """
    on = on or timezone.localdate()
    rng = random.Random(seed)
    requirements = list(plan.experts.select_related("specialty").order_by("pk"))
    if not requirements:
        raise ApplicationError("该方案没有专家需求，无法抽取")
    taken: set[int] = set()
    seats: list[Seat] = []
    shortfalls: list[str] = []
    for requirement in requirements:
        need = 2 * requirement.count
        pool = [pk for pk in _eligible_ids(plan, requirement, on) if pk not in taken]
        if len(pool) < need:
            shortfalls.append(
                f"专业“{requirement.specialty.name}”符合条件的专家不足："
                f"需要 {need} 名，仅有 {len(pool)} 名"
            )
            continue
        drawn = rng.sample(pool, need)
        taken.update(drawn)
        seats += [
            Seat(
                requirement.pk,
                pk,
                PanelRole.MEMBER if index < requirement.count else PanelRole.ALTERNATE,
            )
            for index, pk in enumerate(drawn)
        ]
    if shortfalls:
        raise ApplicationError("；".join(shortfalls))
    return seats


def _lock_plan(actor: User, plan: EvaluationPlan | int) -> EvaluationPlan:
    plan_id = plan.pk if isinstance(plan, EvaluationPlan) else plan
    locked = (
        scoped(EvaluationPlan.objects.select_related("committee"), actor)
        .select_for_update(of=("self",))
        .filter(pk=plan_id)
        .first()
    )
    if locked is None:
        raise ApplicationError(PLAN_NOT_FOUND)
    return locked


@transaction.atomic
def panel_draw(
    *, actor: User, plan: EvaluationPlan | int, reason: str = "", seed: int | None = None
) -> PanelDraw:
    """抽取专家 (or 重新抽取, which needs a reason): the committee draws the panel of its approved
    plan with a fresh random seed, stored with the draw. ``seed`` is for tests and checks only:
    neither the page nor the API lets anyone choose it."""
    require_perm(actor, "experts.draw_panel", "无权抽取评审专家", error=PermissionDenied)
    if not actor.is_committee:
        raise PermissionDenied("只有评委会可以抽取评审专家")
    locked = _lock_plan(actor, plan)
    if locked.status != PlanStatus.APPROVED:
        raise ApplicationError(
            f"方案“{locked.name}”{locked.get_status_display()}，审核通过后才能抽取评审专家"
        )
    last = locked.panel_draws.order_by("-number").first()
    reason = (reason or "").strip()
    if last is not None and not reason:
        raise ApplicationError("已抽取过评审专家，重新抽取须填写原因")
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    seats = panel_select(plan=locked, seed=seed)
    draw = PanelDraw(
        plan=locked,
        number=(last.number + 1) if last else 1,
        seed=seed,
        reason=reason if last else "",
        drawn_by=actor,
    )
    full_clean_or_raise(draw)
    draw.save()
    PanelMember.objects.bulk_create(
        PanelMember(
            plan=locked,
            draw=draw,
            expert_id=seat.expert_id,
            requirement_id=seat.requirement_id,
            order=order,
            role=seat.role,
        )
        for order, seat in enumerate(seats, start=1)
    )
    members = sum(seat.role == PanelRole.MEMBER for seat in seats)
    summary = (
        f"{'重新抽取' if last else '抽取'}评审专家：{locked.name}，第{draw.number}次，种子 {seed}，"
        f"评审专家 {members} 名、备选专家 {len(seats) - members} 名"
    )
    if last:
        summary += f"；原因：{reason}"
    operation_record(actor=actor, operation="redraw" if last else "draw", obj=draw, summary=summary)
    return draw

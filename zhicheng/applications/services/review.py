"""Review by officers and committees: approve, return, 退回补充材料 and 批量审核通过."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.blacklist.models import BlacklistEntry
from zhicheng.blacklist.services import person_is_barred
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import ID_MAX, ID_MIN
from zhicheng.common.workdays import add_workdays
from zhicheng.common.workflow import Step, transitions_write
from zhicheng.inbox.services import Outgoing, messages_send
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.titles.models import TitleHolding
from zhicheng.titles.services import TitleGrant, title_holding_grant, title_holdings_grant
from zhicheng.units import selectors as unit_selectors

from .. import rules
from ..models import (
    Application,
    ApplicationStatus,
    ReturnModule,
    ReturnReason,
    ReviewAction,
    ReviewRecord,
)
from ._common import (
    ALREADY_HANDLED,
    _check_version,
    _clean_text,
    _is_replay,
    _last_record,
    _lock_for_step,
    _lock_ids,
    _moved_to_target,
    _save_workflow,
    _transition,
    where_now,
)
from .notices import approval_notice, return_notice


def reviewer_problem(user: User, app: Application) -> str:
    """Why ``user`` cannot act on ``app`` now ("" when they can). Also decides which buttons
    a page shows."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "请先登录"
    if not user.has_perm("applications.review_application"):
        return "无权审核职称申报"
    if app.status != ApplicationStatus.UNDER_REVIEW or app.current_organization_id is None:
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
    if app.is_committee_turn:
        if user.is_committee and app.committee is not None and app.committee.account_id == user.pk:
            return ""
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
    if user.is_committee or user.organization_id != app.current_organization_id:
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
    if unit_selectors.is_own_application(user, app):
        return "不能审核本人的职称申报，请由单位其他职称管理员审核"
    if app.at_employer and not user.has_role(Role.EMPLOYER_OFFICER):
        return "用人单位一级由单位经办审核"
    if not (user.has_role(Role.EMPLOYER_OFFICER) or user.has_role(Role.HR_OFFICER)):
        return "无权审核职称申报"
    return ""


def can_review(user: User, app: Application) -> bool:
    return not reviewer_problem(user, app)


def _require_reviewer(user: User, app: Application) -> None:
    problem = reviewer_problem(user, app)
    if problem == "无权审核职称申报" or problem == "请先登录":
        raise PermissionDenied(problem)
    if problem:
        raise ApplicationError(problem)


def _blacklisted_message(app: Application, entry: BlacklistEntry) -> str:
    return (
        f"申报人“{app.person.name}”已被列入失信黑名单（{entry.get_reason_display()}，"
        f"{entry.start_date:%Y-%m-%d}至{entry.end_date:%Y-%m-%d}），不能审核通过"
    )


def _clean_reasons(reasons: Iterable[str]) -> list[str]:
    cleaned = []
    for code in reasons or ():
        if code not in ReturnReason.values:
            raise ApplicationError("退回原因的取值无效")
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


# 补正期限 when the return names none: working days from the day after the return.
DEFAULT_CORRECTION_WORKDAYS = 10
MAX_CORRECTION_WORKDAYS = 60


def _clean_modules(modules: Iterable[str]) -> list[str]:
    cleaned = []
    for code in modules or ():
        if code not in ReturnModule.values:
            raise ApplicationError("补正模块的取值无效（学历、业绩、论文、奖励、其他）")
        if code not in cleaned:
            cleaned.append(code)
    # In the table's order, whatever order they were ticked in.
    return [code for code in ReturnModule.values if code in cleaned]


def _clean_deadline(
    *, deadline: dt.date | None, deadline_workdays: int | None, today: dt.date
) -> tuple[dt.date | None, int | None]:
    """The return's 补正期限: a date after today, or a number of working days."""
    if deadline is not None:
        if not isinstance(deadline, dt.date):
            raise ApplicationError("补正期限的日期无效")
        if deadline <= today:
            raise ApplicationError(
                f"补正期限（{deadline:%Y-%m-%d}）已过或为今天，请选择今天（{today:%Y-%m-%d}）以后的日期"
            )
    if deadline_workdays is not None and (
        isinstance(deadline_workdays, bool)
        or not isinstance(deadline_workdays, int)
        or not 1 <= deadline_workdays <= MAX_CORRECTION_WORKDAYS
    ):
        raise ApplicationError(f"补正期限应为1至{MAX_CORRECTION_WORKDAYS}个工作日")
    return deadline, deadline_workdays


def correction_deadline(today: dt.date, workdays: int | None) -> dt.date:
    """The last day of a 补正 period of ``workdays`` working days starting tomorrow."""
    count = workdays or getattr(
        settings, "ZHICHENG_CORRECTION_WORKDAYS", DEFAULT_CORRECTION_WORKDAYS
    )
    start = today + dt.timedelta(days=1)
    try:
        return add_workdays(start, count)
    except ApplicationError:
        # The holiday table does not know the year yet: a return is never refused for that;
        # Monday to Friday count instead (the officer may give a date instead).
        day, seen = start, 0
        while True:
            if day.weekday() < 5:
                seen += 1
                if seen == count:
                    return day
            day += dt.timedelta(days=1)


ACCEPTANCE_PREFIX = "SL"


def acceptance_number_for(app: Application) -> str:
    """受理号: ``SL`` + 年度 + the application's number (unique as the application is)."""
    return f"{ACCEPTANCE_PREFIX}{app.year}{app.pk:08d}"


def _accepts(app: Application, organization_id: int | None) -> bool:
    """Whether this level's approval is the acceptance (受理): the acceptance office (初定/认定)
    or the first HR bureau on the route."""
    if app.acceptance_number or organization_id is None:
        return False
    if app.acceptance_office_id:  # 初定 / 认定: the acceptance office accepts
        return app.acceptance_office.organization_id == organization_id
    org_type = getattr(app, "from_org_type", None)
    if org_type is None and app.current_organization_id == organization_id:
        org_type = app.current_organization.org_type
    return org_type == OrgType.HR_BUREAU


@dataclass
class ApprovalOutcome:
    application: Application
    record: ReviewRecord | None
    holding: TitleHolding | None = None
    step: Step | None = None
    # The title the top's approval of a 初定/认定 application grants, until it is saved.
    grant: TitleGrant | None = None
    # Who approved (the applicant's 消息 names them).
    from_name: str = ""

    @property
    def message(self) -> str:
        app = self.application
        if app.status == ApplicationStatus.APPROVED:
            if app.is_evaluation:
                return f"资格审核通过，待评审：{app.person.name}取得参加“{app.committee.name}”评审的资格"
            return f"审核通过，申报已生效：{app.person.name}取得{app.title.name}职称"
        return f"审核通过，已推送至“{self.next_name}”待审"

    @property
    def next_name(self) -> str:
        app = self.application
        if app.is_committee_turn and app.committee is not None:
            return app.committee.name
        return app.current_organization.name if app.current_organization else ""


def _approve_in_memory(
    app: Application, *, actor: User, opinion: str, today: dt.date, now: dt.datetime
) -> ApprovalOutcome:
    """The approval step, in memory (written by the caller: one, or a batch in bulk)."""
    from_org = app.current_organization_id
    if app.is_committee_turn and app.committee_id:
        from_name = app.committee.name
    else:
        from_name = getattr(app, "from_name", None) or (
            app.current_organization.name if from_org else ""
        )
    accepted = _accepts(app, from_org) and not app.is_committee_turn
    if accepted:
        app.acceptance_number = acceptance_number_for(app)
    if app.at_top:
        step = _transition(
            app,
            action=ReviewAction.APPROVE,
            to=ApplicationStatus.APPROVED,
            actor=actor,
            opinion=opinion,
        )
        app.current_organization = None
        app.decided_at = now
    else:
        step = _transition(
            app,
            action=ReviewAction.APPROVE,
            to=ApplicationStatus.UNDER_REVIEW,
            actor=actor,
            opinion=opinion,
        )
        app.route_position += 1
        app.current_organization_id = app.route_chain[app.route_position]
    app.returned_from = None
    step.record_args.update(
        organization=from_org,
        from_organization=from_org,
        to_organization=app.current_organization_id,
        acceptance_number=app.acceptance_number if accepted else "",
    )
    grant = None
    if app.status == ApplicationStatus.APPROVED and not app.is_evaluation:
        grant = TitleGrant(
            person_id=app.person_id,
            title_id=app.title_id,
            level=app.level,
            specialty_id=app.specialty_id,
            acquisition_method=app.acquisition_method,
            approved_on=today,
            approving_organization_id=from_org,
            application_id=app.pk,
        )
    outcome = ApprovalOutcome(app, None, step=step, grant=grant)
    outcome.from_name = from_name
    return outcome


def _notice(outcome: ApprovalOutcome) -> Outgoing:
    """The applicant's 消息 of an approval (once the next organization is loaded)."""
    return approval_notice(
        outcome.application, organization_name=outcome.from_name, message=outcome.message
    )


@transaction.atomic
def application_approve(
    *,
    actor: User,
    application: Application | int,
    opinion: str = "",
    expected_version: int | None = None,
) -> ApprovalOutcome:
    """审核通过 (opinion optional): to the next level, or effective at the top."""
    today = timezone.localdate()
    app = _lock_for_step(application, step=+1)
    if _is_replay(app, actor=actor, action=ReviewAction.APPROVE, expected_version=expected_version):
        return ApprovalOutcome(app, _last_record(app), getattr(app, "title_holding", None))
    _check_version(app, expected_version)
    _require_reviewer(actor, app)
    if app.at_employer:
        problem = unit_selectors.unit_publicity_problem(app)
        if problem:
            raise ApplicationError(problem)
    opinion = _clean_text(opinion, 2000)
    if person_is_barred(app.person_id, on=today):
        entry = rules.person_blacklist_block(app.person, on=today)
        raise ApplicationError(_blacklisted_message(app, entry))
    outcome = _approve_in_memory(app, actor=actor, opinion=opinion, today=today, now=timezone.now())
    if outcome.grant is not None:
        outcome.holding = title_holding_grant(actor=actor, grant=outcome.grant)
        app.title_holding = outcome.holding  # loaded on the application, no query to read it
    _moved_to_target(app)
    outcome.step.write(save=_save_workflow, summary=lambda: outcome.message, operation="approve")
    outcome.record = outcome.step.record
    messages_send([_notice(outcome)])
    return outcome


def _returned_to(app: Application) -> str:
    return app.current_organization.name if app.current_organization_id else "申报人"


def returned_message(app: Application, action: str) -> str:
    """What the officer is told after 退回 / 退回补充材料 (page and API)."""
    label = "退回补充材料" if action == ReviewAction.RETURN_FOR_SUPPLEMENT else "已退回"
    return f"{label}：已退回至“{_returned_to(app)}”"


def _move_down(
    *,
    actor: User,
    application: Application | int,
    action: str,
    opinion: str,
    reasons: Iterable[str],
    expected_version: int | None,
    modules: Iterable[str] = (),
    deadline: dt.date | None = None,
    deadline_workdays: int | None = None,
) -> Application:
    app = _lock_for_step(application, step=-1)
    if _is_replay(app, actor=actor, action=action, expected_version=expected_version):
        return app
    _check_version(app, expected_version)
    _require_reviewer(actor, app)
    opinion = _clean_text(opinion, 2000)
    reasons = _clean_reasons(reasons)
    modules = _clean_modules(modules)
    today = timezone.localdate()
    deadline, deadline_workdays = _clean_deadline(
        deadline=deadline, deadline_workdays=deadline_workdays, today=today
    )
    if action == ReviewAction.RETURN_FOR_SUPPLEMENT:
        if app.returned_from_id is None:
            raise ApplicationError("只有上级退回的申报才能退回补充材料，审核不通过请使用“退回”")
        if not opinion or not reasons:
            # Pass the superior's return on as it is, unless this level adds its own.
            last_return = (
                app.review_records.filter(
                    action__in=(ReviewAction.RETURN, ReviewAction.RETURN_FOR_SUPPLEMENT),
                    to_organization_id=app.current_organization_id,
                )
                .order_by("-created_at", "-pk")
                .first()
            )
            if last_return is not None:
                opinion = opinion or last_return.opinion
                reasons = reasons or list(last_return.reasons)
        if not modules and deadline is None and deadline_workdays is None:
            # The superior's 补正 modules and deadline go down with its return.
            last_return = (
                app.review_records.filter(
                    action__in=(ReviewAction.RETURN, ReviewAction.RETURN_FOR_SUPPLEMENT),
                    to_organization_id=app.current_organization_id,
                )
                .order_by("-created_at", "-pk")
                .first()
            )
            if last_return is not None:
                modules = list(last_return.modules)
                deadline_workdays = last_return.deadline_workdays
                if last_return.deadline and last_return.deadline > today:
                    deadline = last_return.deadline
    elif not opinion:
        raise ApplicationError("请填写审核意见（退回原因），以便申报人一次性补正")
    from_org = app.current_organization_id
    from_name = app.current_organization.name if from_org else ""
    notice = None
    if app.at_employer:
        step = _transition(
            app, action=action, to=ApplicationStatus.RETURNED, actor=actor, opinion=opinion
        )
        app.current_organization = None
        app.returned_from = None
        # 退回补正 reaches the applicant: the modules he may edit and the day it expires.
        deadline = deadline or correction_deadline(today, deadline_workdays)
        app.return_modules = modules
        app.correction_deadline = deadline
        app.deadline_warned_on = None
        notice = return_notice(
            app,
            organization_name=from_name,
            opinion=opinion,
            reasons=reasons,
            modules=modules,
            deadline=deadline,
        )
    else:
        step = _transition(
            app, action=action, to=ApplicationStatus.UNDER_REVIEW, actor=actor, opinion=opinion
        )
        app.route_position -= 1
        app.current_organization_id = app.route_chain[app.route_position]
        app.returned_from_id = from_org
    _moved_to_target(app)
    step.write(
        save=_save_workflow,
        record={
            "organization": from_org,
            "from_organization": from_org,
            "to_organization": app.current_organization_id,
            "reasons": reasons,
            "modules": modules,
            "deadline_workdays": deadline_workdays,
            "deadline": deadline,
        },
        summary=lambda: f"{ReviewAction(action).label}至{_returned_to(app)}：{opinion}",
        operation=action,
    )
    if notice is not None:
        messages_send([notice])
    return app


@transaction.atomic
def application_return(
    *,
    actor: User,
    application: Application | int,
    opinion: str,
    reasons: Iterable[str] = (),
    expected_version: int | None = None,
    modules: Iterable[str] = (),
    deadline: dt.date | None = None,
    deadline_workdays: int | None = None,
) -> Application:
    """审核不通过 / 退回 (opinion required): one level down; from the employer, to the applicant.

    退回补正: ``modules`` (``ReturnModule``: 学历 / 业绩 / 论文 / 奖励 / 其他; none = everything)
    are the only parts the applicant may edit; the 补正期限 is ``deadline`` (a date after today)
    or ``deadline_workdays`` working days from tomorrow (default 10). A level above the employer
    records them; they apply when the return reaches the applicant."""
    return _move_down(
        actor=actor,
        application=application,
        action=ReviewAction.RETURN,
        opinion=opinion,
        reasons=reasons,
        expected_version=expected_version,
        modules=modules,
        deadline=deadline,
        deadline_workdays=deadline_workdays,
    )


@transaction.atomic
def application_return_for_supplement(
    *,
    actor: User,
    application: Application | int,
    opinion: str = "",
    reasons: Iterable[str] = (),
    expected_version: int | None = None,
    modules: Iterable[str] = (),
    deadline: dt.date | None = None,
    deadline_workdays: int | None = None,
) -> Application:
    """退回补充材料: a return received from above passed on one level down (the superior's
    opinion, reasons, 补正 modules and deadline are carried on unless this level gives its
    own)."""
    return _move_down(
        actor=actor,
        application=application,
        action=ReviewAction.RETURN_FOR_SUPPLEMENT,
        opinion=opinion,
        reasons=reasons,
        expected_version=expected_version,
        modules=modules,
        deadline=deadline,
        deadline_workdays=deadline_workdays,
    )


# --- batch approval ---------------------------------------------------------------------------


@dataclass
class BatchOutcome:
    approved: list[Application] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (application id, reason)

    @property
    def message(self) -> str:
        text = f"批量审核通过 {len(self.approved)} 件"
        if self.refused:
            text += f"，{len(self.refused)} 件未通过"
        return text


BATCH_LIMIT = 2000


@transaction.atomic
def application_batch_approve(
    *, actor: User, items: Sequence[tuple[int, int | None]], opinion: str = ""
) -> BatchOutcome:
    """批量审核通过 of selected rows ``(id, expected version)``. Each row is checked like a
    single approval; the rows that cannot be approved are listed with their reason and the
    others are approved — all under row locks, in one transaction, with bulk writes."""
    if not actor.has_perm("applications.review_application"):
        raise PermissionDenied("无权审核职称申报")
    opinion = _clean_text(opinion, 2000)
    expected = {}
    for pk, version in items:
        try:
            pk, version = int(pk), (None if version in (None, "") else int(version))
        except (TypeError, ValueError):
            raise ApplicationError("所选申报无效") from None
        if not ID_MIN <= pk <= ID_MAX:
            raise ApplicationError("所选申报无效")
        expected[pk] = version
    if not expected:
        raise ApplicationError("请先勾选要审核通过的申报")
    if len(expected) > BATCH_LIMIT:
        raise ApplicationError(f"一次最多批量审核{BATCH_LIMIT}件")
    from zhicheng.common.scoping import scoped

    visible = set(
        scoped(Application.objects.filter(pk__in=list(expected)), actor).values_list(
            "pk", flat=True
        )
    )
    outcome = BatchOutcome()
    for pk in expected:
        if pk not in visible:
            outcome.refused.append((pk, "申报不存在或无权访问"))
    locked = list(
        Application.objects.select_related(
            "person", "title", "committee", "current_organization", "acceptance_office"
        )
        .filter(pk__in=_lock_ids(visible))
        .order_by("pk")
    )
    today, now = timezone.localdate(), timezone.now()
    barred = {
        entry.person_id: entry
        for entry in BlacklistEntry.objects.in_force(today)
        .filter(person_id__in={a.person_id for a in locked})
        .order_by("end_date")
    }
    steps, grants, granted, changed, notices = [], [], [], [], []
    for app in locked:
        version = expected[app.pk]
        if version is not None and version != app.version:
            outcome.refused.append((app.pk, f"{ALREADY_HANDLED}（{where_now(app)}）"))
            continue
        problem = reviewer_problem(actor, app)
        if problem:
            outcome.refused.append((app.pk, problem))
            continue
        if app.person_id in barred:
            outcome.refused.append((app.pk, _blacklisted_message(app, barred[app.person_id])))
            continue
        if app.at_employer and (problem := unit_selectors.unit_publicity_problem(app)):
            outcome.refused.append((app.pk, problem))
            continue
        result = _approve_in_memory(app, actor=actor, opinion=opinion, today=today, now=now)
        steps.append(result.step)
        notices.append(result)
        if result.grant is not None:
            grants.append(result.grant)
            granted.append(app)
        changed.append(app)
    if changed:
        for app in changed:
            app.updated_at = now
        for app, holding in zip(
            granted, title_holdings_grant(actor=actor, grants=grants), strict=True
        ):
            app.title_holding = holding  # loaded on the application, no query to read it
        transitions_write(
            steps,
            fields=[
                "status",
                "version",
                "route_position",
                "current_organization",
                "returned_from",
                "decided_at",
                "acceptance_number",
                "updated_at",
            ],
            actor=actor,
            operation="approve",
            summary=f"批量审核通过 {len(changed)} 件（申报编号 "
            + "、".join(str(a.pk) for a in changed[:50])
            + ("…" if len(changed) > 50 else "")
            + "）",
        )
        # The next organizations' names for the messages, in one read.
        names = dict(
            Organization.objects.filter(
                pk__in={a.current_organization_id for a in changed if a.current_organization_id}
            ).values_list("pk", "name")
        )
        for app in changed:
            if app.current_organization_id:
                app.current_organization = Organization.from_db(
                    Organization.objects.db,
                    ["id", "name"],
                    [app.current_organization_id, names[app.current_organization_id]],
                )
        messages_send([_notice(result) for result in notices])
    outcome.approved = changed
    return outcome

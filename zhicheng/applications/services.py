"""Writes of 职称申报 (guide 1.12): the applicant's draft, attachments and the review workflow.

Every function is ``@transaction.atomic``, keyword-only, takes ``actor``, locks the application
(``select_for_update``), checks, writes, appends a ``ReviewRecord`` for workflow steps and calls
``operation_record``. ``_transition`` is the only code that assigns ``status``.

Concurrency: the caller passes the ``version`` it displayed (``expected_version``). Under the row
lock the service compares it, so of two officers acting at once exactly one succeeds and the
other gets "该申报已被处理" with nothing changed. The same request sent twice (a double click)
is recognised — the last step is the actor's own, same action, one version ago — and succeeds
once, without a second record.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.audit.services import operation_record
from zhicheng.blacklist.models import BlacklistEntry
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.persons.selectors import person_for_user
from zhicheng.routing.selectors import acceptance_office_for

from . import rules
from .files import check_attachment
from .models import (
    APPLICATION_METHODS,
    LEVEL_COMMITTEE_KIND,
    METHOD_ROUTE_KIND,
    TRANSITIONS,
    Application,
    ApplicationRouteNode,
    ApplicationStatus,
    Attachment,
    AttachmentCategory,
    Education,
    ReturnReason,
    ReviewAction,
    ReviewRecord,
    TitleHolding,
    WorkExperience,
)

ALREADY_HANDLED = "该申报已被处理"
NOT_YOURS = "只能操作本人的申报"
MAX_WORK_EXPERIENCES = 30

# Fields of the applicant's data a draft (or a returned application) may change.
DATA_FIELDS = (
    "education",
    "school",
    "major",
    "graduation_date",
    "work_start_date",
    "current_title_name",
    "current_title_date",
)


# --- helpers --------------------------------------------------------------------------------


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ApplicationError(_validation_message(exc)) from None


def _transition(app: Application, *, action: str, to: str) -> None:
    """The only place ``status`` changes: refuses any move the TRANSITIONS table lacks."""
    allowed = TRANSITIONS.get(app.status, {}).get(action, frozenset())
    if to not in allowed:
        raise ApplicationError(
            f"当前状态（{app.get_status_display()}）不能{ReviewAction(action).label}"
        )
    app.status = to
    app.version += 1


LOCK_RELATED = (
    "person",
    "title",
    "title__series",
    "specialty",
    "employer",
    "acceptance_office",
    "acceptance_office__organization",
    "committee",
    "current_organization",
    "returned_from",
)


def _lock_ids(ids) -> list[int]:
    """Lock the rows (in id order, so concurrent batches cannot deadlock) without joins: on
    PostgreSQL a row re-read after waiting for a lock keeps the *old* joined rows, so a
    ``select_related`` of a changed foreign key would come back empty."""
    return list(
        Application.objects.select_for_update()
        .filter(pk__in=list(ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    if not _lock_ids([pk]):
        raise ApplicationError("申报不存在")
    # Read after the lock is held: this statement sees the latest committed row.
    return Application.objects.select_related(*LOCK_RELATED).get(pk=pk)


def _actor_name(actor: User) -> str:
    return (actor.real_name or actor.username)[:150]


def _record(
    app: Application,
    *,
    action: str,
    actor: User,
    from_status: str,
    organization: Organization | int | None = None,
    from_organization: Organization | int | None = None,
    to_organization: Organization | int | None = None,
    opinion: str = "",
    reasons: Sequence[str] = (),
) -> ReviewRecord:
    """An unsaved review record (saved by the caller, one by one or in bulk)."""

    def org_id(value):
        return value.pk if isinstance(value, Organization) else value

    return ReviewRecord(
        application=app,
        action=action,
        organization_id=org_id(organization),
        actor=actor,
        actor_name=_actor_name(actor),
        opinion=opinion,
        reasons=list(reasons),
        from_organization_id=org_id(from_organization),
        to_organization_id=org_id(to_organization),
        from_status=from_status,
        to_status=app.status,
    )


def _last_record(app: Application) -> ReviewRecord | None:
    return app.review_records.order_by("-created_at", "-pk").first()


def _is_replay(app: Application, *, actor: User, action: str, expected_version: int | None) -> bool:
    """The same request again (a double click): the last step is this actor's, same action,
    exactly one version ago."""
    if expected_version is None or expected_version != app.version - 1:
        return False
    last = _last_record(app)
    return last is not None and last.actor_id == actor.pk and last.action == action


def where_now(app: Application) -> str:
    """Where the application is now, as a sentence (过程跟踪, messages)."""
    if app.status == ApplicationStatus.UNDER_REVIEW and app.current_organization_id:
        if app.is_evaluation and app.at_top and app.committee_id:
            name = app.committee.name
        else:
            name = app.current_organization.name
        text = f"当前待“{name}”审核"
        if app.returned_from_id:
            text += f"（“{app.returned_from.name}”退回待处理）"
        return text
    return {
        ApplicationStatus.DRAFT: "草稿，尚未提交",
        ApplicationStatus.RETURNED: "已退回申报人修改",
        ApplicationStatus.APPROVED: "审核通过，已生效",
        ApplicationStatus.WITHDRAWN: "已撤回",
    }.get(app.status, app.get_status_display())


def _handled(app: Application) -> ApplicationError:
    return ApplicationError(f"{ALREADY_HANDLED}（{where_now(app)}）")


def _check_version(app: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != app.version:
        raise _handled(app)


def _require_owner(app: Application, actor: User) -> None:
    if actor is None or not actor.is_authenticated or app.applicant_id != actor.pk:
        raise PermissionDenied(NOT_YOURS)


def _clean_text(value: Any, max_length: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > max_length:
        raise ApplicationError(f"内容不能超过{max_length}个字符")
    return text


# --- drafts (the applicant) ---------------------------------------------------------------


@dataclass
class WorkExperienceData:
    start_date: dt.date
    organization_name: str
    end_date: dt.date | None = None
    position: str = ""
    description: str = ""


def _check_choice_fields(
    *, acquisition_method: str, title: Title, specialty: Specialty, employer: Organization
) -> None:
    if acquisition_method not in APPLICATION_METHODS:
        raise ApplicationError("请选择取得方式（初定、认定或评审）")
    if title is None:
        raise ApplicationError("请选择申报职称")
    if specialty is None:
        raise ApplicationError("请选择申报专业")
    if specialty.depth <= 1:
        raise ApplicationError("请选择具体的专业，不能选择栏目大类")
    if employer is None:
        raise ApplicationError("请选择用人单位")
    if not employer.is_active:
        raise ApplicationError(f"用人单位“{employer.name}”已注销，请重新选择")
    if employer.org_type != OrgType.EMPLOYER:
        raise ApplicationError(f"“{employer.name}”不是用人单位，请选择本人所在的用人单位")


def _route_kind(acquisition_method: str, title: Title) -> str:
    if acquisition_method == AcquisitionMethod.EVALUATION:
        return LEVEL_COMMITTEE_KIND[title.level]
    return METHOD_ROUTE_KIND[acquisition_method]


def _apply_choices(
    app: Application,
    *,
    acquisition_method: str,
    title: Title,
    specialty: Specialty,
    employer: Organization,
    committee: Committee | None,
    notice_acknowledged: bool | None,
    today: dt.date,
) -> None:
    """``notice_acknowledged``: True/False as ticked on the form; None keeps the current
    acknowledgement unless the acceptance office changed."""
    _check_choice_fields(
        acquisition_method=acquisition_method, title=title, specialty=specialty, employer=employer
    )
    app.acquisition_method = acquisition_method
    app.title = title
    app.level = title.level
    app.specialty = specialty
    app.employer = employer
    app.route_kind = _route_kind(acquisition_method, title)
    now = timezone.now()
    if acquisition_method == AcquisitionMethod.EVALUATION:
        if committee is not None:
            problem = rules.committee_problem(
                committee, title=title, specialty=specialty, today=today
            )
            if problem:
                raise ApplicationError(problem)
        app.committee = committee
        app.acceptance_office = None
        app.notice_acknowledged_at = None
    else:
        office = acceptance_office_for(
            employer=employer, level=title.level, acquisition_method=acquisition_method
        )
        if office is None or office.pk != app.acceptance_office_id:
            app.notice_acknowledged_at = None  # a new office: its notice is read anew
        app.acceptance_office = office
        app.committee = None
        if notice_acknowledged and office is not None:
            app.notice_acknowledged_at = app.notice_acknowledged_at or now
        elif notice_acknowledged is False:
            app.notice_acknowledged_at = None


def _apply_data(app: Application, data: dict[str, Any], today: dt.date) -> None:
    text_fields = {"education", "school", "major", "current_title_name"}
    for name in DATA_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in text_fields:
            value = (value or "").strip()
        setattr(app, name, value)
    if app.education and app.education not in Education.values:
        raise ApplicationError("学历的取值无效")
    for label, value in (
        ("毕业时间", app.graduation_date),
        ("参加工作时间", app.work_start_date),
        ("现职称取得时间", app.current_title_date),
    ):
        if value is not None and value > today:
            raise ApplicationError(f"{label}不能晚于今天")


def _clean_experiences(rows: Iterable[WorkExperienceData | dict]) -> list[WorkExperienceData]:
    cleaned = []
    for raw in rows:
        row = raw if isinstance(raw, WorkExperienceData) else WorkExperienceData(**raw)
        name = (row.organization_name or "").strip()
        if row.start_date is None or not name:
            raise ApplicationError("工作经历的开始时间和工作单位必须填写")
        if row.end_date is not None and row.end_date < row.start_date:
            raise ApplicationError("工作经历的结束时间不能早于开始时间")
        cleaned.append(
            WorkExperienceData(
                start_date=row.start_date,
                end_date=row.end_date,
                organization_name=name,
                position=(row.position or "").strip(),
                description=(row.description or "").strip(),
            )
        )
    if len(cleaned) > MAX_WORK_EXPERIENCES:
        raise ApplicationError(f"工作经历最多填写{MAX_WORK_EXPERIENCES}条")
    return sorted(cleaned, key=lambda r: r.start_date)


def _save_experiences(app: Application, rows: list[WorkExperienceData]) -> None:
    app.work_experiences.all().delete()
    objs = [WorkExperience(application=app, **row.__dict__) for row in rows]
    for obj in objs:
        _full_clean(obj, exclude=["application"])
    WorkExperience.objects.bulk_create(objs)


@transaction.atomic
def application_create(
    *,
    actor: User,
    acquisition_method: str,
    title: Title,
    specialty: Specialty,
    employer: Organization,
    committee: Committee | None = None,
    notice_acknowledged: bool = False,
    integrity_pledged: bool = False,
    year: int | None = None,
    work_experiences: Iterable[WorkExperienceData | dict] = (),
    **data: Any,
) -> Application:
    """A new draft by the applicant ``actor`` (their own person)."""
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    if actor is None or not actor.is_authenticated or not actor.is_applicant:
        raise PermissionDenied("只有申报人可以新建职称申报")
    person = person_for_user(actor)
    if person is None:
        raise ApplicationError("当前账号尚未关联人员信息，不能申报，请联系当地人社部门")
    today = timezone.localdate()
    app = Application(person=person, applicant=actor, year=year or today.year)
    _apply_choices(
        app,
        acquisition_method=acquisition_method,
        title=title,
        specialty=specialty,
        employer=employer,
        committee=committee,
        notice_acknowledged=notice_acknowledged,
        today=today,
    )
    _apply_data(app, data, today)
    app.integrity_pledged_at = timezone.now() if integrity_pledged else None
    experiences = _clean_experiences(work_experiences)
    _full_clean(app, exclude=["route_chain"])
    app.save()
    _save_experiences(app, experiences)
    operation_record(actor=actor, operation="create", obj=app, summary=f"新建职称申报 {app}")
    return app


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application,
    expected_version: int | None = None,
    acquisition_method: str | None = None,
    title: Title | None = None,
    specialty: Specialty | None = None,
    employer: Organization | None = None,
    committee: Committee | None = None,
    notice_acknowledged: bool | None = None,
    integrity_pledged: bool | None = None,
    work_experiences: Iterable[WorkExperienceData | dict] | None = None,
    **data: Any,
) -> Application:
    """Edit a draft, or a returned application before resubmitting. ``None`` keeps a field."""
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    app = _lock(application)
    _require_owner(app, actor)
    _check_version(app, expected_version)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改")
    today = timezone.localdate()
    method = acquisition_method or app.acquisition_method
    _apply_choices(
        app,
        acquisition_method=method,
        title=title or app.title,
        specialty=specialty or app.specialty,
        employer=employer or app.employer,
        committee=committee
        if committee is not None
        else (app.committee if method == AcquisitionMethod.EVALUATION else None),
        notice_acknowledged=notice_acknowledged,
        today=today,
    )
    _apply_data(app, data, today)
    if integrity_pledged is not None:
        app.integrity_pledged_at = (
            (app.integrity_pledged_at or timezone.now()) if integrity_pledged else None
        )
    experiences = _clean_experiences(work_experiences) if work_experiences is not None else None
    app.version += 1
    _full_clean(app, exclude=["route_chain"])
    app.save()
    if experiences is not None:
        _save_experiences(app, experiences)
    operation_record(actor=actor, operation="update", obj=app, summary=f"修改职称申报 {app}")
    return app


# --- attachments ----------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: User, application: Application, category: str, upload) -> Attachment:
    """Upload one file to the 电子档案 (checked by content, ≤ 20 MB)."""
    app = _lock(application)
    _require_owner(app, actor)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改电子档案")
    if category not in AttachmentCategory.values:
        raise ApplicationError("请选择材料类别")
    checked = check_attachment(upload)
    original = (getattr(upload, "name", "") or "附件").replace("\\", "/").rsplit("/", 1)[-1]
    attachment = Attachment(
        application=app,
        category=category,
        stored_name=f"{secrets.token_hex(16)}.{checked.extension}",
        original_name=original[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.stored_name, upload, save=False)
    try:
        _full_clean(attachment, exclude=["file"])
        attachment.save()
        operation_record(
            actor=actor,
            operation="upload",
            obj=attachment,
            summary=f"上传{attachment.get_category_display()}：{attachment.original_name}",
        )
    except Exception:
        # The row did not land: remove the file. (Should an outer transaction roll back later,
        # the orphan is harmless — a random name that no view serves without its row.)
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    app = _lock(attachment.application_id)
    _require_owner(app, actor)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改电子档案")
    locked = (
        Attachment.objects.select_for_update().filter(pk=attachment.pk, application=app).first()
    )
    if locked is None:
        raise ApplicationError("附件不存在")
    storage, name = locked.file.storage, locked.file.name
    operation_record(
        actor=actor,
        operation="delete",
        obj=locked,
        summary=f"删除{locked.get_category_display()}：{locked.original_name}",
    )
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- submission (the applicant) -----------------------------------------------------------


def _enter_route(app: Application, route: rules.ResolvedRoute) -> None:
    chain = route.organization_ids
    app.route_chain = chain
    app.route_length = len(chain)
    app.route_position = 0
    app.current_organization_id = chain[0]
    app.returned_from = None
    ApplicationRouteNode.objects.bulk_create(
        [
            ApplicationRouteNode(application=app, organization_id=org_id, position=position)
            for position, org_id in enumerate(chain)
        ],
        ignore_conflicts=True,
    )


def _submit(
    *, actor: User, application: Application, expected_version: int | None, action: str
) -> Application:
    app = _lock(application)
    _require_owner(app, actor)
    if _is_replay(app, actor=actor, action=action, expected_version=expected_version):
        return app
    _check_version(app, expected_version)
    expected_from = (
        ApplicationStatus.DRAFT if action == ReviewAction.SUBMIT else (ApplicationStatus.RETURNED)
    )
    if app.status != expected_from:
        raise ApplicationError(
            f"当前状态（{app.get_status_display()}）不能{ReviewAction(action).label}"
        )
    today = timezone.localdate()
    route = rules.check_submission(app, today)
    from_status = app.status
    _transition(app, action=action, to=ApplicationStatus.UNDER_REVIEW)
    _enter_route(app, route)
    app.submitted_at = timezone.now()
    app.decided_at = None
    app.save()
    _record(
        app,
        action=action,
        actor=actor,
        from_status=from_status,
        to_organization=app.current_organization_id,
    ).save()
    operation_record(
        actor=actor,
        operation=action,
        obj=app,
        summary=f"{ReviewAction(action).label}：{app}，送{route.chain.nodes[0].name}审核",
    )
    return app


@transaction.atomic
def application_submit(
    *, actor: User, application: Application, expected_version: int | None = None
) -> Application:
    """提交: every submission rule, then the route is resolved, stored and entered."""
    return _submit(
        actor=actor,
        application=application,
        expected_version=expected_version,
        action=ReviewAction.SUBMIT,
    )


@transaction.atomic
def application_resubmit(
    *, actor: User, application: Application, expected_version: int | None = None
) -> Application:
    """重新提交 after a return: the rules again, the route re-resolved from the employer."""
    return _submit(
        actor=actor,
        application=application,
        expected_version=expected_version,
        action=ReviewAction.RESUBMIT,
    )


@transaction.atomic
def application_withdraw(
    *, actor: User, application: Application, expected_version: int | None = None
) -> Application:
    """撤回: a draft, a returned application, or a submitted one nobody has acted on yet."""
    app = _lock(application)
    _require_owner(app, actor)
    if _is_replay(
        app, actor=actor, action=ReviewAction.WITHDRAW, expected_version=expected_version
    ):
        return app
    _check_version(app, expected_version)
    if app.status == ApplicationStatus.UNDER_REVIEW:
        last = _last_record(app)
        if last is None or last.action not in (ReviewAction.SUBMIT, ReviewAction.RESUBMIT):
            raise ApplicationError("审核单位已处理该申报，不能撤回")
    from_status, from_org = app.status, app.current_organization_id
    _transition(app, action=ReviewAction.WITHDRAW, to=ApplicationStatus.WITHDRAWN)
    app.current_organization = None
    app.returned_from = None
    app.save()
    _record(
        app,
        action=ReviewAction.WITHDRAW,
        actor=actor,
        from_status=from_status,
        from_organization=from_org,
    ).save()
    operation_record(actor=actor, operation="withdraw", obj=app, summary=f"撤回申报：{app}")
    return app


# --- review (officers and committees) ------------------------------------------------------


def reviewer_problem(user: User, app: Application) -> str:
    """Why ``user`` cannot act on ``app`` now ("" when they can). Also decides which buttons
    a page shows."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "请先登录"
    if not user.has_perm("applications.review_application"):
        return "无权审核职称申报"
    if app.status != ApplicationStatus.UNDER_REVIEW or app.current_organization_id is None:
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
    committee_turn = app.is_evaluation and app.at_top
    if committee_turn:
        if user.is_committee and app.committee is not None and app.committee.account_id == user.pk:
            return ""
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
    if user.is_committee or user.organization_id != app.current_organization_id:
        return f"{ALREADY_HANDLED}（{where_now(app)}）"
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


@dataclass
class ApprovalOutcome:
    application: Application
    record: ReviewRecord
    holding: TitleHolding | None = None

    @property
    def message(self) -> str:
        app = self.application
        if app.status == ApplicationStatus.APPROVED:
            if app.is_evaluation:
                return f"审核通过，申报已生效：{app.person.name}取得参加“{app.committee.name}”评审的资格"
            return f"审核通过，申报已生效：{app.person.name}取得{app.title.name}职称"
        return f"审核通过，已推送至“{self.next_name}”待审"

    @property
    def next_name(self) -> str:
        app = self.application
        if app.is_evaluation and app.at_top and app.committee is not None:
            return app.committee.name
        return app.current_organization.name if app.current_organization else ""


def _approve_in_memory(
    app: Application, *, actor: User, opinion: str, today: dt.date, now: dt.datetime
) -> ApprovalOutcome:
    from_org, from_status = app.current_organization_id, app.status
    if app.at_top:
        _transition(app, action=ReviewAction.APPROVE, to=ApplicationStatus.APPROVED)
        app.current_organization = None
        app.decided_at = now
    else:
        _transition(app, action=ReviewAction.APPROVE, to=ApplicationStatus.UNDER_REVIEW)
        app.route_position += 1
        app.current_organization_id = app.route_chain[app.route_position]
    app.returned_from = None
    record = _record(
        app,
        action=ReviewAction.APPROVE,
        actor=actor,
        from_status=from_status,
        organization=from_org,
        from_organization=from_org,
        to_organization=app.current_organization_id,
        opinion=opinion,
    )
    holding = None
    if app.status == ApplicationStatus.APPROVED and not app.is_evaluation:
        holding = TitleHolding(
            person_id=app.person_id,
            title_id=app.title_id,
            level=app.level,
            specialty_id=app.specialty_id,
            acquisition_method=app.acquisition_method,
            approved_on=today,
            approving_organization_id=from_org,
            application=app,
        )
    return ApprovalOutcome(app, record, holding)


@transaction.atomic
def application_approve(
    *,
    actor: User,
    application: Application,
    opinion: str = "",
    expected_version: int | None = None,
) -> ApprovalOutcome:
    """审核通过 (opinion optional): to the next level, or effective at the top."""
    app = _lock(application)
    if _is_replay(app, actor=actor, action=ReviewAction.APPROVE, expected_version=expected_version):
        return ApprovalOutcome(app, _last_record(app), getattr(app, "title_holding", None))
    _check_version(app, expected_version)
    _require_reviewer(actor, app)
    opinion = _clean_text(opinion, 2000)
    today = timezone.localdate()
    entry = rules.person_blacklist_block(app.person, on=today)
    if entry is not None:
        raise ApplicationError(_blacklisted_message(app, entry))
    outcome = _approve_in_memory(app, actor=actor, opinion=opinion, today=today, now=timezone.now())
    app.save()
    outcome.record.save()
    if outcome.holding is not None:
        outcome.holding.save()
    if app.current_organization_id:
        app.current_organization = Organization.objects.get(pk=app.current_organization_id)
    operation_record(actor=actor, operation="approve", obj=app, summary=outcome.message)
    return outcome


def _move_down(
    *,
    actor: User,
    application: Application,
    action: str,
    opinion: str,
    reasons: Iterable[str],
    expected_version: int | None,
) -> Application:
    app = _lock(application)
    if _is_replay(app, actor=actor, action=action, expected_version=expected_version):
        return app
    _check_version(app, expected_version)
    _require_reviewer(actor, app)
    opinion = _clean_text(opinion, 2000)
    reasons = _clean_reasons(reasons)
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
    elif not opinion:
        raise ApplicationError("请填写审核意见（退回原因），以便申报人一次性补正")
    from_org, from_status = app.current_organization_id, app.status
    if app.at_employer:
        _transition(app, action=action, to=ApplicationStatus.RETURNED)
        app.current_organization = None
        app.returned_from = None
    else:
        _transition(app, action=action, to=ApplicationStatus.UNDER_REVIEW)
        app.route_position -= 1
        app.current_organization_id = app.route_chain[app.route_position]
        app.returned_from_id = from_org
    app.save()
    _record(
        app,
        action=action,
        actor=actor,
        from_status=from_status,
        organization=from_org,
        from_organization=from_org,
        to_organization=app.current_organization_id,
        opinion=opinion,
        reasons=reasons,
    ).save()
    if app.current_organization_id:
        app.current_organization = Organization.objects.get(pk=app.current_organization_id)
    where = app.current_organization.name if app.current_organization_id else "申报人"
    operation_record(
        actor=actor,
        operation=action,
        obj=app,
        summary=f"{ReviewAction(action).label}至{where}：{opinion}",
    )
    return app


@transaction.atomic
def application_return(
    *,
    actor: User,
    application: Application,
    opinion: str,
    reasons: Iterable[str] = (),
    expected_version: int | None = None,
) -> Application:
    """审核不通过 / 退回 (opinion required): one level down; from the employer, to the applicant."""
    return _move_down(
        actor=actor,
        application=application,
        action=ReviewAction.RETURN,
        opinion=opinion,
        reasons=reasons,
        expected_version=expected_version,
    )


@transaction.atomic
def application_return_for_supplement(
    *,
    actor: User,
    application: Application,
    opinion: str = "",
    reasons: Iterable[str] = (),
    expected_version: int | None = None,
) -> Application:
    """退回补充材料: a return received from above passed on one level down (the superior's
    opinion and reasons are carried on unless this level gives its own)."""
    return _move_down(
        actor=actor,
        application=application,
        action=ReviewAction.RETURN_FOR_SUPPLEMENT,
        opinion=opinion,
        reasons=reasons,
        expected_version=expected_version,
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
        if not 1 <= pk <= 2**63 - 1:
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
        Application.objects.select_related("person", "title", "committee", "current_organization")
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
    records, holdings, changed = [], [], []
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
        result = _approve_in_memory(app, actor=actor, opinion=opinion, today=today, now=now)
        records.append(result.record)
        if result.holding is not None:
            holdings.append(result.holding)
        changed.append(app)
    if changed:
        for app in changed:
            app.updated_at = now
        Application.objects.bulk_update(
            changed,
            [
                "status",
                "version",
                "route_position",
                "current_organization",
                "returned_from",
                "decided_at",
                "updated_at",
            ],
            batch_size=500,
        )
        ReviewRecord.objects.bulk_create(records, batch_size=500)
        TitleHolding.objects.bulk_create(holdings, batch_size=500)
        operation_record(
            actor=actor,
            operation="approve",
            obj=changed[0],
            summary=f"批量审核通过 {len(changed)} 件（申报编号 "
            + "、".join(str(a.pk) for a in changed[:50])
            + ("…" if len(changed) > 50 else "")
            + "）",
        )
    outcome.approved = changed
    return outcome

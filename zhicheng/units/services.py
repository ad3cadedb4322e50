"""Writes of 用人单位 (issue 14): 单位注册 and its review, the reset of a unit account's password
by the level above, and 单位内部公示 (period, then the sealed result with the 推荐意见).

Every function is transactional, locks the row it changes and writes the operation log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import (
    generate_default_password,
    user_create,
    user_password_replace,
    user_update,
)
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError, full_clean_or_raise, validation_message
from zhicheng.common.files import check_attachment, random_stored_name, uploaded_name
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.query import clean_text
from zhicheng.common.scoping import scoped
from zhicheng.common.validators import validate_uscc
from zhicheng.common.workflow import transition
from zhicheng.orgs.models import EMPLOYER_ORG_TYPES, Organization, OrgType
from zhicheng.units.models import (
    HOLDING_STATUSES,
    RegistrationStatus,
    UnitPublicity,
    UnitRegistration,
)

# 主管单位 a unit may choose: a competent department or an HR bureau (units directly under it).
COMPETENT_ORG_TYPES = frozenset({OrgType.COMPETENT_DEPT, OrgType.HR_BUREAU})
PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
PUBLICITY_MIN_WORKDAYS = 5
ALREADY_REGISTERED = "该统一社会信用代码已注册（或注册正在审核中），请直接登录或联系主管单位"
REVIEW_PERMISSION = "units.review_unitregistration"


# --- 单位注册 ---------------------------------------------------------------------------------


def _uscc_or_error(value: str) -> str:
    try:
        return validate_uscc(value)
    except ValidationError as exc:
        raise ApplicationError(validation_message(exc)) from None


def uscc_registered(uscc: str) -> bool:
    """An organization holds the code, or a registration of it is pending or approved."""
    return (
        Organization.objects.filter(uscc=uscc).exists()
        or UnitRegistration.objects.filter(uscc=uscc, status__in=HOLDING_STATUSES).exists()
        or User.objects.filter(username__iexact=uscc, is_active=True).exists()
    )


@transaction.atomic
def unit_register(
    *,
    uscc: str,
    name: str,
    contact_name: str,
    contact_phone: str,
    competent: Organization | None,
    password: str,
) -> UnitRegistration:
    """单位注册 (public): the login is the 统一社会信用代码, inactive until the 主管单位 approves.

    A code whose check character is wrong, or already registered, is refused; nothing is
    written then. A refused earlier registration of the same code gives its login back."""
    uscc = _uscc_or_error(uscc)
    name = clean_text(name, max_length=200)
    contact_name = clean_text(contact_name, max_length=50)
    contact_phone = clean_text(contact_phone, max_length=30)
    if not name:
        raise ApplicationError("请填写单位名称")
    if not contact_name:
        raise ApplicationError("请填写联系人")
    if not PHONE.match(contact_phone):
        raise ApplicationError("联系电话应为 7–30 位数字（可含 - + 括号 空格）")
    if competent is None:
        raise ApplicationError("请选择主管单位")
    if competent.org_type not in COMPETENT_ORG_TYPES or not competent.is_active:
        raise ApplicationError(f"“{competent.name}”不是可选的主管单位，请重新选择")
    if uscc_registered(uscc):
        raise ApplicationError(ALREADY_REGISTERED)
    # A refused registration keeps its (inactive) login: it is reused, with the new password.
    previous = (
        UnitRegistration.objects.select_for_update()
        .filter(uscc=uscc, status=RegistrationStatus.REFUSED)
        .order_by("-pk")
        .first()
    )
    try:
        with transaction.atomic():
            account = _registration_account(previous, uscc, name, contact_name, contact_phone)
            _set_password(account, password)
            registration = UnitRegistration(
                uscc=uscc,
                name=name,
                contact_name=contact_name,
                contact_phone=contact_phone,
                competent=competent,
                account=account,
            )
            full_clean_or_raise(registration, validate_constraints=False)
            registration.save()
    except IntegrityError:
        raise ApplicationError(ALREADY_REGISTERED) from None
    operation_record(
        actor=None,
        operation="register",
        obj=registration,
        summary=f"单位注册：{name}（{uscc}），主管单位 {competent.name}",
    )
    return registration


def _registration_account(
    previous: UnitRegistration | None, uscc: str, name: str, contact: str, phone: str
) -> User:
    if previous is not None:
        # The refused registration keeps its history; its login serves the new one.
        account = User.objects.select_for_update().get(pk=previous.account_id)
        account.real_name, account.phone = contact, phone
        account.save(update_fields=["real_name", "phone"])
        return account
    if User.objects.filter(username__iexact=uscc).exists():
        raise ApplicationError(ALREADY_REGISTERED)
    account, _ = user_create(
        username=uscc,
        organization=None,
        roles=[],
        real_name=contact,
        phone=phone,
        password=generate_default_password(),
        must_change_password=False,
    )
    account.is_active = False
    account.save(update_fields=["is_active"])
    return account


def _set_password(account: User, password: str) -> None:
    try:
        validate_password(password or "", account)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages)) from None
    account.set_password(password)
    account.save(update_fields=["password"])


def _lock_registration(actor: User, registration: UnitRegistration | int) -> UnitRegistration:
    require_perm(actor, REVIEW_PERMISSION, error=PermissionDenied)
    pk = registration.pk if isinstance(registration, UnitRegistration) else registration
    if not scoped(UnitRegistration.objects.filter(pk=pk), actor).exists():
        raise ApplicationError("单位注册不存在或不在您的管辖范围内")
    return UnitRegistration.objects.select_for_update().select_related("competent").get(pk=pk)


def _join_competent_routes(actor: User, unit: Organization, competent: Organization) -> int:
    """The new unit joins, as 用人单位, every review route its 主管单位 is on (so its
    applicants can submit at once). Routes the approving officer may not edit are left to HR."""
    from zhicheng.routing import services as routing_services
    from zhicheng.routing.models import NodeType, RecordStatus, RouteEdge

    if not actor.has_perm("routing.add_routeedge"):
        return 0
    pairs = set(
        RouteEdge.objects.filter(status=RecordStatus.ACTIVE, superior=competent).values_list(
            "kind", "level"
        )
    ) | set(
        RouteEdge.objects.filter(status=RecordStatus.ACTIVE, subordinate=competent).values_list(
            "kind", "level"
        )
    )
    joined = 0
    for kind, level in sorted(pairs):
        try:
            with transaction.atomic():
                routing_services.route_edge_create(
                    actor=actor,
                    kind=kind,
                    level=level,
                    superior=competent,
                    subordinate=unit,
                    node_type=NodeType.EMPLOYER,
                )
            joined += 1
        except ApplicationError:
            continue
    return joined


@transaction.atomic
def unit_registration_approve(
    *, actor: User, registration: UnitRegistration | int, opinion: str = ""
) -> UnitRegistration:
    """审核通过: the unit becomes an organization under its 主管单位 and its login a 单位经办."""
    reg = _lock_registration(actor, registration)
    if Organization.objects.filter(uscc=reg.uscc).exists():
        raise ApplicationError("该统一社会信用代码已有机构，不能重复建立")
    competent = Organization.objects.select_for_update().get(pk=reg.competent_id)
    if not competent.is_active:
        raise ApplicationError("主管单位已注销，不能审核通过")
    node = Organization(
        name=reg.name, uscc=reg.uscc, org_type=OrgType.EMPLOYER, region_code=reg.uscc[2:8]
    )
    full_clean_or_raise(node, exclude=["path", "depth", "numchild"])
    unit = Organization.objects.add_child(competent, instance=node)
    transition(
        reg,
        "approve",
        actor=actor,
        values={
            "reason": clean_text(opinion, max_length=500),
            "decided_by": actor,
            "decided_at": timezone.now(),
            "organization": unit,
        },
        summary=f"单位注册审核通过：{reg.name}（{reg.uscc}）",
    )
    user_update(user=reg.account, organization=unit, roles=[Role.EMPLOYER_OFFICER], is_active=True)
    _join_competent_routes(actor, unit, competent)
    return reg


@transaction.atomic
def unit_registration_refuse(
    *, actor: User, registration: UnitRegistration | int, reason: str
) -> UnitRegistration:
    """审核不通过 with a reason the unit sees when it tries to log in."""
    reg = _lock_registration(actor, registration)
    reason = clean_text(reason, max_length=500)
    if not reason:
        raise ApplicationError("请填写不通过的原因，以便单位修改后重新注册")
    transition(
        reg,
        "refuse",
        actor=actor,
        values={"reason": reason, "decided_by": actor, "decided_at": timezone.now()},
        summary=f"单位注册审核不通过：{reg.name}（{reg.uscc}）：{reason}",
        operation="return",
    )
    return reg


@transaction.atomic
def unit_account_password_reset(*, actor: User, account: User | int) -> str:
    """The level above resets a unit account's password: a new default one, changed at the
    next login; returned once. Only an officer of an organization above the unit may do it."""
    require_perm(actor, REVIEW_PERMISSION, error=PermissionDenied)
    pk = account.pk if isinstance(account, User) else account
    # Locked alone: PostgreSQL cannot lock the nullable side of the join to the organization.
    target = User.objects.select_for_update().filter(pk=pk).first()
    unit = target.organization if target is not None else None
    above = actor.organization
    if (
        target is None
        or unit is None
        or unit.org_type not in EMPLOYER_ORG_TYPES
        or not target.has_role(Role.EMPLOYER_OFFICER)
        or above is None
        or not unit.path.startswith(above.path)
        or unit.pk == above.pk
    ):
        raise ApplicationError("单位账号不存在，或不是您的下级单位的账号")
    password = generate_default_password(user=target)
    user_password_replace(
        actor=actor,
        user=target,
        password=password,
        must_change=True,
        summary=f"重置下级单位账号 {target.username}（{unit.name}）的密码",
    )
    return password


# --- 单位内部公示 -------------------------------------------------------------------------------


def _require_unit_officer(actor: User) -> Organization:
    if not (actor.is_authenticated and actor.is_active and actor.has_role(Role.EMPLOYER_OFFICER)):
        raise PermissionDenied("只有用人单位经办可以组织单位内部公示")
    org = actor.organization
    if org is None or not org.is_active:
        raise ApplicationError("您的账号未关联有效的单位")
    return org


def _check_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is None or ends_on is None:
        raise ApplicationError("请填写公示开始日期和结束日期")
    if ends_on < starts_on:
        raise ApplicationError("公示结束日期不能早于开始日期")
    if starts_on < workdays.today() - dt.timedelta(days=366):
        raise ApplicationError("公示开始日期不能早于一年前")
    days = workdays.workdays_between(starts_on, ends_on)
    if days < PUBLICITY_MIN_WORKDAYS:
        earliest = workdays.add_workdays(starts_on, PUBLICITY_MIN_WORKDAYS)
        raise ApplicationError(
            f"单位内部公示不少于{PUBLICITY_MIN_WORKDAYS}个工作日：{starts_on:%Y-%m-%d}至"
            f"{ends_on:%Y-%m-%d}只有{days}个工作日，结束日期最早为{earliest:%Y-%m-%d}"
        )


@transaction.atomic
def unit_publicity_create(
    *,
    actor: User,
    applications: Iterable[int],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> UnitPublicity:
    """登记单位内部公示: the applications waiting at the actor's unit, and the period
    (≥ 5 working days on the Chinese calendar)."""
    org = _require_unit_officer(actor)
    ids = sorted({int(pk) for pk in applications or ()})
    if not ids:
        raise ApplicationError("请选择要公示的申报")
    _check_period(starts_on, ends_on)
    apps = list(
        Application.objects.select_for_update()
        .filter(
            pk__in=ids,
            status=ApplicationStatus.UNDER_REVIEW,
            current_organization=org,
            route_position=0,
        )
        .order_by("pk")
    )
    if len(apps) != len(ids):
        raise ApplicationError("所选申报不存在，或不在本单位待审核")
    busy = UnitPublicity.objects.filter(
        applications__in=ids, result_uploaded_at__isnull=True
    ).values_list("applications__pk", flat=True)
    if busy:
        raise ApplicationError(
            f"申报 {'、'.join(str(pk) for pk in sorted(set(busy)))} 已在单位内部公示中"
        )
    publicity = UnitPublicity(
        organization=org, starts_on=starts_on, ends_on=ends_on, recorded_by=actor
    )
    full_clean_or_raise(publicity)
    publicity.save()
    publicity.applications.set(apps)
    operation_record(
        actor=actor,
        operation="publish",
        obj=publicity,
        summary=f"登记单位内部公示 {starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}，"
        f"{len(apps)} 人（申报编号 {'、'.join(str(a.pk) for a in apps)}）",
    )
    return publicity


@transaction.atomic
def unit_publicity_result_upload(
    *, actor: User, publicity: UnitPublicity | int, upload, recommendation: str
) -> UnitPublicity:
    """上传公示结果: the sealed scan (PDF/JPG/PNG, checked by content) and the 推荐意见, once
    the period has ended."""
    org = _require_unit_officer(actor)
    pk = publicity.pk if isinstance(publicity, UnitPublicity) else publicity
    locked = (
        UnitPublicity.objects.select_for_update().filter(pk=pk, organization=org).first()
        if scoped(UnitPublicity.objects.filter(pk=pk), actor).exists()
        else None
    )
    if locked is None:
        raise ApplicationError("单位内部公示不存在，或不是本单位的公示")
    if locked.has_result:
        raise ApplicationError("该公示已上传结果")
    today = workdays.today()
    if not locked.ended(today):
        raise ApplicationError(
            f"公示期至{locked.ends_on:%Y-%m-%d}，期满后（{locked.ends_on + dt.timedelta(days=1):%Y-%m-%d}起）"
            "方可上传公示结果"
        )
    recommendation = clean_text(recommendation, max_length=1000)
    if not recommendation:
        raise ApplicationError("请填写推荐意见")
    checked = check_attachment(upload)
    locked.recommendation = recommendation
    locked.stored_name = random_stored_name(checked)
    locked.original_name = uploaded_name(upload, checked)
    locked.content_type = checked.content_type
    locked.size = checked.size
    locked.sha256 = checked.sha256
    locked.result_uploaded_at = timezone.now()
    locked.file.save(locked.stored_name, upload, save=False)
    try:
        full_clean_or_raise(locked, exclude=["file"])
        locked.save()
    except Exception:
        locked.file.storage.delete(locked.file.name)
        raise
    operation_record(
        actor=actor,
        operation="upload",
        obj=locked,
        summary=f"上传单位内部公示结果：{locked.original_name}；推荐意见：{recommendation}",
    )
    return locked

"""新增 / 修改 / 注销 a committee (with its login), the new-work guard and 重置密码."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create, user_reset_password, user_update
from zhicheng.committees.models import Committee, CommitteeLevel
from zhicheng.common.errors import ApplicationError, full_clean_or_raise, validation_message
from zhicheng.common.models import DEREGISTRATION_TRANSITIONS
from zhicheng.common.oplog import operation_record
from zhicheng.common.scoping import scoped
from zhicheng.common.services import record_deregister
from zhicheng.common.validators import parse_id_number
from zhicheng.orgs.models import Organization, OrgType

from ._common import _clean_text, _lock_managed, _require_active

# The only moves of a committee's status (正常 → 已注销), applied by ``record_deregister``.
TRANSITIONS = DEREGISTRATION_TRANSITIONS


def _check_level(level: str) -> None:
    if level not in CommitteeLevel.values:
        raise ApplicationError(f"评委会级别“{level}”无效，应为高级、中级或初级")


def _check_series(series) -> None:
    if series is None:
        raise ApplicationError("请选择职称系列")
    if getattr(series, "is_active", True) is False:
        raise ApplicationError(f"职称系列“{series}”已停用，不能选择")


def _check_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    clash = Committee.objects.active().filter(name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ApplicationError(f"已存在名称为“{name}”的正常状态评委会")


ACCOUNT_IS_ID_NUMBER = "评委会账号不能是身份证号（身份证号是申报人注册的登录名），请更换"


def account_name_problem(username: str) -> str:
    """A 评委会账号 must not be a 身份证号: the person with that number could never register."""
    try:
        parse_id_number(username)
    except ValidationError:
        return ""
    return ACCOUNT_IS_ID_NUMBER


def check_account_name_free(username: str) -> str:
    """评委会账号 must differ from every user name (case-insensitive); returns it stripped."""
    username = (username or "").strip()
    if not username:
        raise ApplicationError("请填写评委会账号")
    if problem := account_name_problem(username):
        raise ApplicationError(problem)
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"评委会账号“{username}”已被使用（与已有用户名重复），请更换")
    return username


def _check_linkable(account: User) -> None:
    if not account.is_committee:
        raise ApplicationError(f"用户“{account.username}”不是评委会账号")
    if Committee.objects.filter(account=account).exists():
        raise ApplicationError(f"账号“{account.username}”已属于另一个评委会")


def _managing_organization(*, actor: User, organization: Organization | None) -> Organization:
    if organization is None:
        if actor.organization_id is None:
            raise ApplicationError("您未归属任何机构，不能新增评委会")
        return actor.organization
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError("管理机构不在您的管辖范围内")
    if not organization.is_active:
        raise ApplicationError(f"管理机构“{organization.name}”已注销，不能选择")
    if organization.org_type != OrgType.HR_BUREAU:
        raise ApplicationError("评委会的管理机构必须是人社部门")
    return organization


@transaction.atomic
def committee_create(
    *,
    actor: User,
    name: str,
    level: str,
    series,
    approval_number: str,
    valid_from: dt.date,
    valid_until: dt.date,
    account_username: str = "",
    organization: Organization | None = None,
    password: str | None = None,
    existing_account: User | None = None,
) -> tuple[Committee, str]:
    """新增评委会 and its login. Returns the committee and the initial password (shown once).

    Without ``password`` a strong one is generated; either way it must be changed at first login.
    ``existing_account`` links a login that already exists instead (a 评委会 user not yet linked
    to a committee, e.g. the demo's ``committee_eng``); the password returned is then ``""``.
    """
    if not actor.is_officer or not actor.has_perm("committees.add_committee"):
        raise ApplicationError("只有人社经办人员可以新增评委会")
    name = _clean_text(name, "评委会名称")
    _check_level(level)
    _check_series(series)
    approval_number = _clean_text(approval_number, "核准备案文号")
    if valid_from is None or valid_until is None:
        raise ApplicationError("请填写有效期起止日期")
    managing = _managing_organization(actor=actor, organization=organization)
    _check_name_free(name)
    if existing_account is not None:
        _check_linkable(existing_account)
    else:
        username = check_account_name_free(account_username)
    committee = Committee(
        name=name,
        level=level,
        series=series,
        organization=managing,
        approval_number=approval_number,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    full_clean_or_raise(committee, exclude=["account"])
    if existing_account is not None:
        committee.account = existing_account
        committee.save()
        return committee, ""
    try:
        account, raw_password = user_create(
            username=username,
            organization=managing,
            roles=[Role.COMMITTEE],
            real_name=name[:50],
            password=password,
            must_change_password=True,
        )
    except ValidationError as exc:
        raise ApplicationError(f"评委会账号无效：{validation_message(exc)}") from None
    except IntegrityError:
        raise ApplicationError(
            f"评委会账号“{username}”已被使用（与已有用户名重复），请更换"
        ) from None
    committee.account = account
    committee.save()  # django-auditlog records the new committee and its account
    return committee, raw_password


COMMITTEE_EDITABLE = (
    "name",
    "level",
    "series",
    "approval_number",
    "valid_from",
    "valid_until",
    *(
        FRACTIONS := (
            "quorum_numerator",
            "quorum_denominator",
            "pass_numerator",
            "pass_denominator",
        )
    ),
)


def _check_fractions(committee: Committee) -> None:
    """评审会议的到会比例和通过比例: each a fraction in (0, 1], denominators up to 100."""
    for label, num, den in (
        ("到会比例", committee.quorum_numerator, committee.quorum_denominator),
        ("通过比例", committee.pass_numerator, committee.pass_denominator),
    ):
        if not (isinstance(num, int) and isinstance(den, int)) or not (1 <= num <= den <= 100):
            raise ApplicationError(
                f"{label}应为分子不大于分母的正整数分数（分母不超过100），如 2/3"
            )


@transaction.atomic
def committee_update(*, actor: User, committee: Committee, **fields: Any) -> Committee:
    """修改评委会信息 (name, level, series, 核准备案文号, validity, the meeting's quorum and
    pass fractions). The account stays."""
    unknown = set(fields) - set(COMMITTEE_EDITABLE)
    if unknown:
        raise ApplicationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    committee = _lock_managed(actor=actor, committee=committee)
    _require_active(committee)
    if "name" in fields:
        fields["name"] = _clean_text(fields["name"], "评委会名称")
        _check_name_free(fields["name"], exclude_pk=committee.pk)
    if "level" in fields:
        _check_level(fields["level"])
    if "series" in fields:
        _check_series(fields["series"])
    if "approval_number" in fields:
        fields["approval_number"] = _clean_text(fields["approval_number"], "核准备案文号")
    for key in ("valid_from", "valid_until"):
        if key in fields and fields[key] is None:
            raise ApplicationError("请填写有效期起止日期")
    old_name = committee.name
    for key, value in fields.items():
        if key in FRACTIONS and value is None:
            continue
        setattr(committee, key, value)
    _check_fractions(committee)
    full_clean_or_raise(committee)
    committee.save()
    if committee.name != old_name:
        user_update(user=committee.account, real_name=committee.name[:50])
    return committee


@transaction.atomic
def committee_deregister(*, actor: User, committee: Committee, reason: str) -> Committee:
    """注销: keeps the committee and its history, disables its login."""
    if not actor.has_perm("committees.deregister_committee"):
        raise ApplicationError("您没有注销评委会的权限")
    committee = _lock_managed(actor=actor, committee=committee)
    record_deregister(
        committee,
        actor=actor,
        reason=reason,
        reason_required=True,
        already=f"评委会“{committee.name}”已注销，不能重复注销",
        summary=f"注销评委会 {committee.name}（账号 {committee.account.username} 已停用）",
    )
    user_update(user=committee.account, is_active=False)
    return committee


def committee_require_accepting_work(*, committee: Committee) -> None:
    """Guard for other modules: refuse a deregistered, expired or not yet valid committee."""
    if not committee.is_active:
        raise ApplicationError(f"评委会“{committee.name}”已注销，不能选择")
    if committee.is_expired:
        raise ApplicationError(
            f"评委会“{committee.name}”已于{committee.valid_until:%Y-%m-%d}过期，不能受理新的评审"
        )
    if committee.is_not_yet_valid:
        raise ApplicationError(
            f"评委会“{committee.name}”自{committee.valid_from:%Y-%m-%d}起生效，暂不能受理评审"
        )


# --- 重置评委会账号密码 ----------------------------------------------------------------------


@transaction.atomic
def committee_account_reset_password(*, actor: User, committee: Committee) -> str:
    """A new default password for the committee's login (shown once; changed at next login)."""
    committee = _lock_managed(actor=actor, committee=committee)
    _require_active(committee)
    password = user_reset_password(user=committee.account)
    operation_record(
        actor=actor,
        operation="reset_password",
        obj=committee,
        summary=f"重置评委会 {committee.name} 的账号 {committee.account.username} 的密码",
    )
    return password

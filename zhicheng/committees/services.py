"""Writes of 评委会管理 (guide 1.10). Every function is atomic, keyword-only and takes ``actor``.

A committee is created together with its login (role 评委会, a generated default password that
is returned once and must be changed at first login). Deregistering keeps the row and its
history and disables the login. Only a committee that is 正常 can be changed; only one that is
正常 and within its validity can receive new work (:func:`committee_require_accepting_work`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create, user_reset_password, user_update
from zhicheng.audit.services import operation_record
from zhicheng.catalog.models import TitleSeries
from zhicheng.committees.models import (
    HANDOUT_TTL,
    MAX_VALIDITY_YEARS,
    AccountHandout,
    Committee,
    CommitteeLevel,
    CommitteeOrganizer,
    CommitteeSpecialty,
    FeeItem,
    FeeStandard,
    validity_limit,
)
from zhicheng.committees.selectors import committee_managed
from zhicheng.common.errors import ApplicationError, full_clean_or_raise, validation_message
from zhicheng.common.models import DEREGISTRATION_TRANSITIONS
from zhicheng.common.scoping import scoped
from zhicheng.common.services import record_deregister
from zhicheng.common.validators import parse_id_number
from zhicheng.orgs.models import Organization, OrgType

# The only moves of a committee's status (正常 → 已注销), applied by ``record_deregister``.
TRANSITIONS = DEREGISTRATION_TRANSITIONS

MAX_FEE = Decimal("99999999.99")
USERNAME_VALIDATOR = UnicodeUsernameValidator()


def _lock_managed(*, actor: User, committee: Committee) -> Committee:
    locked = (
        committee_managed(actor)
        .select_for_update(of=("self",))
        .filter(pk=committee.pk)
        .select_related("account")
        .first()
    )
    if locked is None:
        raise ApplicationError("该评委会不存在或不归您所在机构管理")
    return locked


def _require_active(committee: Committee) -> None:
    if not committee.is_active:
        raise ApplicationError(f"评委会“{committee.name}”已注销，不能修改")


def _clean_text(value: str | None, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"请填写{label}")
    return text


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


COMMITTEE_EDITABLE = ("name", "level", "series", "approval_number", "valid_from", "valid_until")


@transaction.atomic
def committee_update(*, actor: User, committee: Committee, **fields: Any) -> Committee:
    """修改评委会信息 (name, level, series, 核准备案文号, validity). The account stays."""
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
        setattr(committee, key, value)
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


# --- 其他信息: 评审专业 -------------------------------------------------------------------


def _check_specialty(specialty) -> None:
    if specialty is None:
        raise ApplicationError("请选择评审专业")
    if getattr(specialty, "is_category", False):
        raise ApplicationError(f"“{specialty}”是栏目大类，请选择具体专业")
    if getattr(specialty, "is_active", True) is False:
        raise ApplicationError(f"专业“{specialty}”已停用，不能选择")


@transaction.atomic
def committee_specialty_add(*, actor: User, committee: Committee, specialty) -> CommitteeSpecialty:
    committee = _lock_managed(actor=actor, committee=committee)
    _require_active(committee)
    _check_specialty(specialty)
    if committee.specialty_links.filter(specialty=specialty).exists():
        raise ApplicationError(f"评审专业“{specialty}”已添加")
    link = CommitteeSpecialty(committee=committee, specialty=specialty)
    full_clean_or_raise(link, validate_unique=False, validate_constraints=False)
    link.save()
    return link


@transaction.atomic
def committee_specialty_change(
    *, actor: User, link: CommitteeSpecialty, specialty
) -> CommitteeSpecialty:
    committee = _lock_managed(actor=actor, committee=link.committee)
    _require_active(committee)
    _check_specialty(specialty)
    link = CommitteeSpecialty.objects.select_for_update().get(pk=link.pk, committee=committee)
    if link.specialty_id == specialty.pk:
        return link
    if committee.specialty_links.filter(specialty=specialty).exists():
        raise ApplicationError(f"评审专业“{specialty}”已添加")
    link.specialty = specialty
    link.save()
    return link


@transaction.atomic
def committee_specialty_remove(*, actor: User, link: CommitteeSpecialty) -> None:
    committee = _lock_managed(actor=actor, committee=link.committee)
    _require_active(committee)
    CommitteeSpecialty.objects.filter(pk=link.pk, committee=committee).delete()


# --- 其他信息: 组建单位 -------------------------------------------------------------------


def _check_organizer(*, actor: User, organization: Organization | None) -> None:
    if organization is None:
        raise ApplicationError("组建单位不存在或不在您的管辖范围内")
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError("组建单位不存在或不在您的管辖范围内")
    if not organization.is_active:
        raise ApplicationError(f"组建单位“{organization.name}”已注销，不能选择")


@transaction.atomic
def committee_organizer_add(
    *, actor: User, committee: Committee, organization: Organization | None
) -> CommitteeOrganizer:
    committee = _lock_managed(actor=actor, committee=committee)
    _require_active(committee)
    _check_organizer(actor=actor, organization=organization)
    if committee.organizer_links.filter(organization=organization).exists():
        raise ApplicationError(f"组建单位“{organization.name}”已添加")
    link = CommitteeOrganizer(committee=committee, organization=organization)
    full_clean_or_raise(link, validate_unique=False, validate_constraints=False)
    link.save()
    return link


@transaction.atomic
def committee_organizer_change(
    *, actor: User, link: CommitteeOrganizer, organization: Organization | None
) -> CommitteeOrganizer:
    committee = _lock_managed(actor=actor, committee=link.committee)
    _require_active(committee)
    _check_organizer(actor=actor, organization=organization)
    link = CommitteeOrganizer.objects.select_for_update().get(pk=link.pk, committee=committee)
    if link.organization_id == organization.pk:
        return link
    if committee.organizer_links.filter(organization=organization).exists():
        raise ApplicationError(f"组建单位“{organization.name}”已添加")
    link.organization = organization
    link.save()
    return link


@transaction.atomic
def committee_organizer_remove(*, actor: User, link: CommitteeOrganizer) -> None:
    committee = _lock_managed(actor=actor, committee=link.committee)
    _require_active(committee)
    CommitteeOrganizer.objects.filter(pk=link.pk, committee=committee).delete()


# --- 其他信息: 缴费标准 -------------------------------------------------------------------


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_fee_amount(value) -> Decimal:
    """金额 in yuan: a number > 0 with at most two decimals (``"120"``, ``"99.5"``, ``300.00``)."""
    if isinstance(value, float):
        value = repr(value)
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise ApplicationError("请填写缴费金额")
    if not _PLAIN_NUMBER.fullmatch(text):  # no exponents (1e2), NaN, Infinity
        raise ApplicationError(f"缴费金额“{text}”不是有效的数字")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(f"缴费金额“{text}”不是有效的数字") from None
    if not amount.is_finite():
        raise ApplicationError(f"缴费金额“{text}”不是有效的数字")
    if amount <= 0:
        raise ApplicationError("缴费金额必须大于0")
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError("缴费金额最多保留两位小数")
    if amount > MAX_FEE:
        raise ApplicationError("缴费金额过大")
    return amount.quantize(Decimal("0.01"))


def _check_fee_item(item: str) -> None:
    if item not in FeeItem.values:
        raise ApplicationError(f"缴费项目“{item}”无效，应为评审费、材料费或其他")


def _check_fee_unique(committee: Committee, item: str, note: str, exclude_pk=None) -> None:
    clash = committee.fees.filter(item=item, note=note)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        label = FeeItem(item).label + (f"（{note}）" if note else "")
        raise ApplicationError(f"缴费项目“{label}”已存在，请修改原有记录")


@transaction.atomic
def fee_standard_create(
    *, actor: User, committee: Committee, item: str, amount, note: str = ""
) -> FeeStandard:
    committee = _lock_managed(actor=actor, committee=committee)
    _require_active(committee)
    _check_fee_item(item)
    value = parse_fee_amount(amount)
    note = (note or "").strip()
    _check_fee_unique(committee, item, note)
    fee = FeeStandard(committee=committee, item=item, amount=value, note=note)
    full_clean_or_raise(fee)
    fee.save()
    return fee


@transaction.atomic
def fee_standard_update(
    *,
    actor: User,
    fee: FeeStandard,
    item: str | None = None,
    amount=None,
    note: str | None = None,
) -> FeeStandard:
    committee = _lock_managed(actor=actor, committee=fee.committee)
    _require_active(committee)
    fee = FeeStandard.objects.select_for_update().get(pk=fee.pk, committee=committee)
    if item is not None:
        _check_fee_item(item)
        fee.item = item
    if amount is not None:
        fee.amount = parse_fee_amount(amount)
    if note is not None:
        fee.note = note.strip()
    _check_fee_unique(committee, fee.item, fee.note, exclude_pk=fee.pk)
    full_clean_or_raise(fee)
    fee.save()
    return fee


@transaction.atomic
def fee_standard_delete(*, actor: User, fee: FeeStandard) -> None:
    committee = _lock_managed(actor=actor, committee=fee.committee)
    _require_active(committee)
    FeeStandard.objects.filter(pk=fee.pk, committee=committee).delete()


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


# --- 批量导入 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeDraft:
    """One committee of an import file, after its cells were parsed."""

    name: str
    level: str
    series_id: int | None
    account: str
    approval_number: str
    valid_from: dt.date
    valid_until: dt.date


def committee_bulk_check(*, actor: User, drafts: list[CommitteeDraft]) -> dict[int, list[str]]:
    """The rules of :func:`committee_create` for a whole file with a handful of queries:
    accounts free (in the system and in the file, case-insensitive), names free among 正常
    committees and in the file, validity within 3 years. Returns {draft index: messages}."""
    errors: dict[int, list[str]] = {}

    def add(index: int, message: str) -> None:
        errors.setdefault(index, []).append(message)

    if not actor.is_officer or actor.organization_id is None:
        for index in range(len(drafts)):
            add(index, "只有归属机构的人社经办人员可以导入评委会")
        return errors
    lowered = {d.account.lower() for d in drafts}
    taken = {
        name.lower()
        for name in User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=lowered)
        .values_list("username", flat=True)
    }
    names_in_use = set(
        Committee.objects.active()
        .filter(name__in={d.name for d in drafts})
        .values_list("name", flat=True)
    )
    seen_accounts: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        key = draft.account.lower()
        if key in taken:
            add(index, f"评委会账号“{draft.account}”已被使用（与已有用户名重复）")
        elif key in seen_accounts:
            add(index, f"评委会账号“{draft.account}”与本文件第{seen_accounts[key]}条重复")
        else:
            seen_accounts[key] = index + 1
        try:
            USERNAME_VALIDATOR(draft.account)
        except ValidationError:
            add(index, "评委会账号只能包含字母、数字、汉字和 @ . + - _")
        if problem := account_name_problem(draft.account):
            add(index, problem)
        if draft.name in names_in_use:
            add(index, f"已存在名称为“{draft.name}”的正常状态评委会")
        elif draft.name in seen_names:
            add(index, f"评委会名称与本文件第{seen_names[draft.name]}条重复")
        else:
            seen_names[draft.name] = index + 1
        if draft.valid_until < draft.valid_from:
            add(index, "有效期止不能早于有效期起")
        elif draft.valid_until > validity_limit(draft.valid_from):
            add(
                index,
                f"有效期最长{MAX_VALIDITY_YEARS}年，有效期止不能晚于"
                f"{validity_limit(draft.valid_from):%Y-%m-%d}",
            )
        if draft.series_id is None:
            add(index, "职称系列不存在")
    return errors


@transaction.atomic
def committee_import(*, actor: User, drafts: list[CommitteeDraft]) -> AccountHandout:
    """Create the committees of an import (each with its login) and keep their generated
    passwords in one :class:`AccountHandout` the importer downloads once."""
    series = {s.pk: s for s in TitleSeries.objects.filter(pk__in={d.series_id for d in drafts})}
    entries = []
    for draft in drafts:
        committee, password = committee_create(
            actor=actor,
            name=draft.name,
            level=draft.level,
            series=series.get(draft.series_id),
            account_username=draft.account,
            approval_number=draft.approval_number,
            valid_from=draft.valid_from,
            valid_until=draft.valid_until,
        )
        entries.append(
            {"account": committee.account.username, "name": committee.name, "password": password}
        )
    _handouts_drop_expired(actor=actor)
    handout = AccountHandout(actor=actor, account_count=len(entries), entries=entries)
    handout.save()
    return handout


def _handouts_drop_expired(*, actor: User) -> None:
    cutoff = timezone.now() - HANDOUT_TTL
    AccountHandout.objects.filter(
        actor=actor, downloaded_at__isnull=True, created_at__lt=cutoff
    ).exclude(entries=[]).update(entries=[])


@transaction.atomic
def account_handout_claim(*, actor: User, handout: AccountHandout) -> list[dict[str, str]]:
    """Hand the initial passwords of an import to its importer — once. Returns the entries
    ({"account", "name", "password"}) and forgets them."""
    locked = AccountHandout.objects.select_for_update().filter(pk=handout.pk, actor=actor).first()
    if locked is None:
        raise ApplicationError("初始密码文件不存在或不是您导入的")
    if locked.downloaded_at is not None:
        raise ApplicationError("该初始密码文件已下载过，不能再次下载；如需密码请对评委会重置密码")
    if timezone.now() - locked.created_at > HANDOUT_TTL or not locked.entries:
        raise ApplicationError("该初始密码文件已过期，请对相应评委会重置密码")
    entries = list(locked.entries)
    locked.entries = []
    locked.downloaded_at = timezone.now()
    locked.save(update_fields=["entries", "downloaded_at"])
    operation_record(
        actor=actor,
        operation="export",
        obj=locked,
        summary=f"下载评委会初始密码文件（{len(entries)}个账号：{'、'.join(e['account'] for e in entries[:20])}"
        + ("等" if len(entries) > 20 else "")
        + "）",
    )
    return entries

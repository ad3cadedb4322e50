"""其他信息 of a committee: 评审专业, 组建单位 and 缴费标准."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.committees.models import (
    Committee,
    CommitteeOrganizer,
    CommitteeSpecialty,
    FeeItem,
    FeeStandard,
)
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization

from ._common import _lock_managed, _require_active

MAX_FEE = Decimal("99999999.99")
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

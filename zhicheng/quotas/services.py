"""Writes of 职数申报 (1.22): an employer's officer declares for their own organization, one
declaration a year, and corrects it; HR bureaus only read."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.quotas.models import GRADES, QuotaDeclaration

YEAR_MIN = 2000
COUNT_MAX = 99_999
PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
COUNT_FIELDS = tuple(
    f"{grade}_{kind}" for grade, _ in GRADES for kind in ("approved", "filled", "requested")
)
TEXT_FIELDS = ("contact_name", "contact_phone", "note")


def _check(declaration: QuotaDeclaration) -> None:
    this_year = timezone.localdate().year
    if not YEAR_MIN <= (declaration.year or 0) <= this_year + 1:
        raise ApplicationError(f"年度应在 {YEAR_MIN}–{this_year + 1} 之间")
    for name in COUNT_FIELDS:
        value = getattr(declaration, name)
        if value is None or not 0 <= value <= COUNT_MAX:
            label = QuotaDeclaration._meta.get_field(name).verbose_name
            raise ApplicationError(f"{label}应为 0–{COUNT_MAX} 的整数")
    for grade, grade_label in GRADES:
        approved = getattr(declaration, f"{grade}_approved")
        filled = getattr(declaration, f"{grade}_filled")
        requested = getattr(declaration, f"{grade}_requested")
        if filled > approved:
            raise ApplicationError(
                f"{grade_label}已聘人数（{filled}）不能超过{grade_label}核定岗位数（{approved}）"
            )
        if requested > approved - filled:
            raise ApplicationError(
                f"{grade_label}申报职数（{requested}）超过空岗数（{approved - filled} = "
                f"核定岗位数 {approved} − 已聘人数 {filled}）"
            )
    if not declaration.contact_name.strip():
        raise ApplicationError("请填写联系人")
    if not PHONE.match(declaration.contact_phone.strip()):
        raise ApplicationError("联系电话应为 7–30 位数字（可含 - + 括号 空格）")
    full_clean_or_raise(declaration, validate_unique=False, validate_constraints=False)


def _assign(declaration: QuotaDeclaration, fields: dict) -> None:
    for name in (*COUNT_FIELDS, *TEXT_FIELDS):
        if name in fields:
            value = fields[name]
            setattr(declaration, name, value.strip() if isinstance(value, str) else value)


def _save(declaration: QuotaDeclaration) -> QuotaDeclaration:
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        raise ApplicationError(
            f"本单位 {declaration.year} 年度已有职数申报，请在列表中修改"
        ) from None
    return declaration


@transaction.atomic
def quota_declaration_create(*, actor: User, year: int, **fields) -> QuotaDeclaration:
    """职数申报 of the actor's own organization for ``year``: the counts of both grades
    (``senior_approved`` …, see ``COUNT_FIELDS``), 联系人, 联系电话 and 说明."""
    require_perm(actor, "quotas.add_quotadeclaration")
    organization = actor.organization
    if organization is None or not organization.is_active:
        raise ApplicationError("您的账号未关联有效的单位，不能申报职数")
    declaration = QuotaDeclaration(
        organization=organization, year=year, declared_by=actor, contact_name="", contact_phone=""
    )
    _assign(declaration, fields)
    _check(declaration)
    if QuotaDeclaration.objects.filter(organization=organization, year=year).exists():
        raise ApplicationError(f"本单位 {year} 年度已有职数申报，请在列表中修改")
    return _save(declaration)


@transaction.atomic
def quota_declaration_update(
    *, actor: User, declaration: QuotaDeclaration, **fields
) -> QuotaDeclaration:
    """修改 a declaration of the actor's own organization (the year stays)."""
    require_perm(actor, "quotas.change_quotadeclaration")
    locked = (
        scoped(QuotaDeclaration.objects.select_related("organization"), actor)
        .select_for_update(of=("self",))
        .filter(pk=declaration.pk, organization_id=actor.organization_id)
        .first()
    )
    if locked is None:
        raise ApplicationError("职数申报不存在，或不是本单位的申报")
    _assign(locked, fields)
    _check(locked)
    return _save(locked)

"""Writes of issuing units (1.9 发证单位编码配置) and of their certificate number pools (1.16)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates.models import (
    NUMBERS_PER_GENERATION_MAX,
    SEQUENCE_MAX,
    CertificateNumber,
    CertificateNumberBatch,
    IssuingUnit,
    certificate_number,
)
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.services import record_deregister
from zhicheng.common.usage import usages
from zhicheng.orgs.models import Organization


def _full_clean(obj: IssuingUnit) -> None:
    # Uniqueness is checked by the service with a clearer message; the DB keeps the guard.
    full_clean_or_raise(obj, validate_unique=False, validate_constraints=False)


def _check_code_free(code: str, *, exclude_pk=None) -> None:
    clash = (
        IssuingUnit.objects.select_related("organization")
        .filter(code=code)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        state = "（已注销，编码不再复用）" if not clash.is_active else ""
        raise ApplicationError(f"编码“{code}”已被“{clash.organization.name}”使用{state}")


def _check_one_active(organization: Organization, *, exclude_pk=None) -> None:
    other = (
        IssuingUnit.objects.active()
        .filter(organization=organization)
        .exclude(pk=exclude_pk)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            f"“{organization.name}”已有正常状态的发证单位编码 {other.code}，请先注销后再新增"
        )


def _lock_in_scope(actor: User, issuing_unit: IssuingUnit) -> IssuingUnit:
    locked = (
        scoped(IssuingUnit.objects.select_related("organization"), actor)
        .select_for_update(of=("self",))
        .filter(pk=issuing_unit.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("发证单位不存在或不在您的管辖范围内")
    return locked


def issuing_unit_require_active(issuing_unit: IssuingUnit) -> IssuingUnit:
    """For new work (number pools, certificates): a deregistered unit cannot be chosen."""
    if not issuing_unit.is_active:
        raise ApplicationError(f"发证单位“{issuing_unit}”已注销，不能选择")
    return issuing_unit


@transaction.atomic
def issuing_unit_create(*, actor: User, organization: Organization, code: str) -> IssuingUnit:
    """新增发证单位编码: 单位名称 (an organization in the actor's scope, active) + 编码."""
    require_perm(actor, "certificates.add_issuingunit")
    if organization is None:
        raise ApplicationError("请选择单位名称")
    org = (
        scoped(Organization.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=organization.pk)
        .first()
    )
    if org is None:
        raise ApplicationError("单位不存在或不在您的管辖范围内")
    if not org.is_active:
        raise ApplicationError(f"“{org.name}”已注销，不能设为发证单位")
    code = (code or "").strip()
    if not code:
        raise ApplicationError("请填写编码")
    unit = IssuingUnit(organization=org, code=code, created_by=actor)
    _full_clean(unit)
    _check_code_free(code)
    _check_one_active(org)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise ApplicationError(f"编码“{code}”已被使用") from None
    return unit


@transaction.atomic
def issuing_unit_update(*, actor: User, issuing_unit: IssuingUnit, code: str) -> IssuingUnit:
    """修改编码 — only while the unit is active and no certificate number uses it yet."""
    require_perm(actor, "certificates.change_issuingunit")
    unit = _lock_in_scope(actor, issuing_unit)
    if not unit.is_active:
        raise ApplicationError("已注销的发证单位不能修改")
    code = (code or "").strip()
    if not code:
        raise ApplicationError("请填写编码")
    if code == unit.code:
        return unit
    used = usages(unit)
    if used:
        raise ApplicationError(f"该编码已被使用（{'、'.join(used)}），不能修改")
    unit.code = code
    _full_clean(unit)
    _check_code_free(code, exclude_pk=unit.pk)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise ApplicationError(f"编码“{code}”已被使用") from None
    return unit


@transaction.atomic
def issuing_unit_deregister(*, actor: User, issuing_unit: IssuingUnit, reason: str) -> IssuingUnit:
    """注销 with a required 注销原因. The row stays (history); its code is never reused."""
    require_perm(actor, "certificates.deregister_issuingunit")
    unit = _lock_in_scope(actor, issuing_unit)
    record_deregister(
        unit,
        actor=actor,
        reason=reason,
        reason_required=True,
        already="该发证单位已注销",
        summary=f"注销发证单位 {unit}",
    )
    return unit


# --- 1.16 证书编号生成 -------------------------------------------------------------------------

YEAR_MIN = 2000
BULK_SIZE = 5_000


def _check_generation_range(year: int | None, start: int | None, end: int | None) -> None:
    this_year = timezone.localdate().year
    if year is None or not YEAR_MIN <= year <= this_year + 1:
        raise ApplicationError(f"年度应在 {YEAR_MIN}–{this_year + 1} 之间")
    if start is None or end is None:
        raise ApplicationError("请填写开始序号和结束序号")
    if not 1 <= start <= SEQUENCE_MAX or not 1 <= end <= SEQUENCE_MAX:
        raise ApplicationError(f"序号应在 1–{SEQUENCE_MAX} 之间")
    if start > end:
        raise ApplicationError("开始序号不能大于结束序号")
    if end - start + 1 > NUMBERS_PER_GENERATION_MAX:
        raise ApplicationError(
            f"一次最多生成 {NUMBERS_PER_GENERATION_MAX:,} 个证书编号，请缩小序号范围"
        )


def _check_range_free(unit: IssuingUnit, year: int, start: int, end: int) -> None:
    taken = CertificateNumber.objects.filter(
        issuing_unit=unit, year=year, sequence__range=(start, end)
    ).aggregate(count=Count("pk"), first=Min("number"), last=Max("number"))
    if taken["count"]:
        span = taken["first"] if taken["count"] == 1 else f"{taken['first']}–{taken['last']}"
        raise ApplicationError(
            f"序号 {start}–{end} 中已有 {taken['count']} 个证书编号生成过（{span}），"
            "证书编号不能重复，请调整开始序号或结束序号"
        )


@transaction.atomic
def certificate_numbers_generate(
    *, actor: User, issuing_unit: IssuingUnit, year: int, start: int, end: int
) -> CertificateNumberBatch:
    """生成证书编号: the numbers 开始序号–结束序号 of ``year`` for an active issuing unit in the
    actor's scope, all or none. The unit's row is locked, so two officers generating for the
    same unit at once are serialized and the second sees the first's numbers as taken."""
    require_perm(actor, "certificates.add_certificatenumber")
    if issuing_unit is None:
        raise ApplicationError("请选择发证单位")
    _check_generation_range(year, start, end)
    unit = issuing_unit_require_active(_lock_in_scope(actor, issuing_unit))
    _check_range_free(unit, year, start, end)
    batch = CertificateNumberBatch.objects.create(
        issuing_unit=unit, year=year, start=start, end=end, created_by=actor
    )
    try:
        with transaction.atomic():
            # In slices: bulk_create would hold all 100,000 instances at once.
            for first in range(start, end + 1, BULK_SIZE):
                CertificateNumber.objects.bulk_create(
                    CertificateNumber(
                        issuing_unit=unit,
                        batch=batch,
                        year=year,
                        sequence=sequence,
                        number=certificate_number(unit.code, year, sequence),
                    )
                    for sequence in range(first, min(first + BULK_SIZE, end + 1))
                )
    except IntegrityError:
        # A number made from another unit's code cannot clash (codes are unique, fixed length);
        # this is the constraint's guard behind the check above.
        raise ApplicationError("证书编号已存在，请调整开始序号或结束序号") from None
    return batch


def generated_message(batch: CertificateNumberBatch) -> str:
    """What the page and the API tell the officer after 生成证书编号."""
    return f"已生成证书编号 {batch.count:,} 个：{batch.first_number}–{batch.last_number}"

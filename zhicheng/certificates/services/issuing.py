"""Writes of 证书发放 (1.17): a certificate for a 取得职称, numbered from the issuing unit's pool
and signed — every write in a transaction, scoped (issuing units and pools: ``units``).

Numbers: the next 未使用 number of the unit's pool for this year, taken with ``SKIP LOCKED`` on
PostgreSQL — two officers issuing at once take different numbers and never wait on each other;
the unique constraints (one certificate per number and per holding) stand behind it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.applications.models import TitleHolding
from zhicheng.blacklist.services import person_is_barred
from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateNumberStatus,
    CertificateStatus,
    IssuingUnit,
)
from zhicheng.certificates.services.seals import seal_png
from zhicheng.certificates.services.units import issuing_unit_require_active
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped

ISSUE = "certificates.issue_certificate"
BATCH_MAX = 200


def _holding_in_scope(actor: User, holding: TitleHolding | int) -> TitleHolding:
    holding_id = holding.pk if isinstance(holding, TitleHolding) else holding
    locked = (
        scoped(TitleHolding.objects.all(), actor)
        .select_for_update(of=("self",))
        .select_related("person", "title", "specialty", "approving_organization")
        .filter(pk=holding_id)
        .first()
    )
    if locked is None:
        raise ApplicationError("取得职称记录不存在或不在您的管辖范围内")
    return locked


def _unit_in_scope(actor: User, issuing_unit: IssuingUnit | int | None) -> IssuingUnit:
    if issuing_unit is None:
        raise ApplicationError("请选择发证单位")
    unit_id = issuing_unit.pk if isinstance(issuing_unit, IssuingUnit) else issuing_unit
    unit = (
        scoped(IssuingUnit.objects.select_related("organization"), actor).filter(pk=unit_id).first()
    )
    if unit is None:
        raise ApplicationError("发证单位不存在或不在您的管辖范围内")
    return issuing_unit_require_active(unit)


def _take_number(unit: IssuingUnit, year: int) -> CertificateNumber:
    number = (
        CertificateNumber.objects.select_for_update(skip_locked=True)
        .filter(issuing_unit=unit, year=year, status=CertificateNumberStatus.AVAILABLE)
        .order_by("number")
        .first()
    )
    if number is None:
        raise ApplicationError(
            f"发证单位“{unit.organization.name}”{year}年度的证书编号已用完，请先生成证书编号"
        )
    number.status = CertificateNumberStatus.USED
    number.save(update_fields=["status"])
    return number


def _text(
    holding: TitleHolding, number: str, unit: IssuingUnit, today, public_url: str = ""
) -> pdf.CertificateText:
    person = holding.person
    return pdf.CertificateText(
        number=number,
        name=person.name,
        id_number=person.id_number,
        title=holding.title.name,
        level=holding.get_level_display(),
        specialty=holding.specialty.name if holding.specialty_id else "—",
        acquisition=holding.get_acquisition_method_display(),
        approved_on=f"{holding.approved_on:%Y年%m月%d日}",
        approving_organization=holding.approving_organization.name,
        issuing_unit=unit.organization.name,
        issued_on=f"{today:%Y年%m月%d日}",
        committee=_evaluating_committee(holding),
        public_url=public_url,
        seal_png=seal_png(unit),
    )


def _evaluating_committee(holding: TitleHolding) -> str:
    """评审 titles name the committee that evaluated them on the certificate."""
    application = holding.application
    if application is None or not application.is_evaluation or application.committee_id is None:
        return ""
    return application.committee.name


def certificate_issue(
    *,
    actor: User,
    holding: TitleHolding | int,
    issuing_unit: IssuingUnit | int,
    public_url: str | None = None,
) -> Certificate:
    """发放证书 for one 取得职称: refused when it has one already, when the person is on the
    active blacklist, or when the unit's pool of this year is used up. The QR code points at
    ``public_url`` (``pdf.public_url(request)`` from a view; default ``pdf.public_url()``)."""
    require_perm(actor, ISSUE)
    with transaction.atomic():
        locked = _holding_in_scope(actor, holding)
        existing = Certificate.objects.filter(holding=locked).select_related("number").first()
        if existing is not None:
            raise ApplicationError(
                f"{locked.person.name}的{locked.title.name}已发放证书（{existing.number.number}）"
            )
        if person_is_barred(locked.person_id):
            raise ApplicationError(f"{locked.person.name}在黑名单中，不能发放证书")
        unit = _unit_in_scope(actor, issuing_unit)
        today = timezone.localdate()
        number = _take_number(unit, today.year)
        signed = pdf.sign(
            pdf.render(_text(locked, number.number, unit, today, public_url or pdf.public_url())),
            location=unit.organization.name,
        )
        certificate = Certificate(
            holding=locked,
            number=number,
            issuing_unit=unit,
            sha256=hashlib.sha256(signed).hexdigest(),
            issued_by=actor,
        )
        certificate.file.save(f"{number.number}.pdf", ContentFile(signed), save=False)
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            certificate.file.storage.delete(certificate.file.name)
            raise ApplicationError("该证书已被他人发放，请刷新页面") from None
        except Exception:
            certificate.file.storage.delete(certificate.file.name)
            raise
    return certificate


@dataclass
class IssueOutcome:
    issued: list[Certificate] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = f"已发放证书 {len(self.issued)} 份"
        if self.refused:
            text += f"，{len(self.refused)} 条未发放：" + "；".join(r for _, r in self.refused[:5])
        return text


def certificates_issue(
    *,
    actor: User,
    holding_ids: list[int],
    issuing_unit: IssuingUnit | int | None,
    public_url: str | None = None,
) -> IssueOutcome:
    """勾选后发放证书: each holding on its own (one refused does not stop the others)."""
    require_perm(actor, ISSUE)
    if not holding_ids:
        raise ApplicationError("请勾选要发放证书的人员")
    if len(holding_ids) > BATCH_MAX:
        raise ApplicationError(f"一次最多发放 {BATCH_MAX} 份证书，请分批勾选")
    _unit_in_scope(actor, issuing_unit)
    outcome = IssueOutcome()
    for holding_id in dict.fromkeys(holding_ids):
        try:
            outcome.issued.append(
                certificate_issue(
                    actor=actor,
                    holding=holding_id,
                    issuing_unit=issuing_unit,
                    public_url=public_url,
                )
            )
        except ApplicationError as exc:
            outcome.refused.append((holding_id, exc.message))
    return outcome


REVOKE = "certificates.revoke_certificate"
REVOKE_REASON_MAX = 200


def certificate_revoke(*, actor: User, certificate: Certificate | int, reason: str) -> Certificate:
    """撤销证书 (1.19) with a required reason: the certificate stays, marked 已撤销 (证书核验 says
    so); its number is never given to another certificate."""
    require_perm(actor, REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写撤销原因")
    if len(reason) > REVOKE_REASON_MAX:
        raise ApplicationError(f"撤销原因不能超过 {REVOKE_REASON_MAX} 字")
    certificate_id = certificate.pk if isinstance(certificate, Certificate) else certificate
    with transaction.atomic():
        locked = (
            scoped(Certificate.objects.select_related("number"), actor)
            .select_for_update(of=("self",))
            .filter(pk=certificate_id)
            .first()
        )
        if locked is None:
            raise ApplicationError("证书不存在或不在您的管辖范围内")
        if locked.status == CertificateStatus.REVOKED:
            raise ApplicationError(f"证书 {locked.number.number} 已撤销")
        locked.status = CertificateStatus.REVOKED
        locked.revoke_reason = reason
        locked.revoked_by = actor
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["status", "revoke_reason", "revoked_by", "revoked_at"])
    return locked

"""Writes of 证书发放 (1.17): a certificate for a 取得职称, numbered from the issuing unit's pool
and signed — every write in a transaction, scoped (issuing units and pools: ``units``).

Numbers: the next 未使用 number of the unit's pool for this year, taken with ``SKIP LOCKED`` on
PostgreSQL — two officers issuing at once take different numbers and never wait on each other;
the unique constraints (one certificate per number and per holding) stand behind it.

Slow work holds no locks: issuing takes the number and creates the certificate 生成中 in one
short transaction, renders and signs the PDF outside any transaction, then stores the file and
marks it 有效 in a second one. A certificate left 生成中 by a crash in between is finished by
``certificates_finish_pending`` (the periodic task in ``certificates.tasks``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist.services import person_is_barred
from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateNumberStatus,
    CertificateStatus,
    IssuingUnit,
)
from zhicheng.certificates.services import national
from zhicheng.certificates.services.seals import seal_png
from zhicheng.certificates.services.units import issuing_unit_require_active
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.titles import selectors as title_selectors

if TYPE_CHECKING:
    from zhicheng.titles.models import TitleHolding

logger = logging.getLogger(__name__)

ISSUE = "certificates.issue_certificate"
BATCH_MAX = 200
# A certificate still 生成中 after this long was left behind (its request crashed or failed):
# the periodic task renders it again. Long enough that it never races a live request.
PENDING_GRACE = dt.timedelta(minutes=5)


def _holding_in_scope(actor: User, holding: TitleHolding | int) -> TitleHolding:
    holding_id = getattr(holding, "pk", holding)  # a TitleHolding or its id
    locked = title_selectors.title_holding_for_update(user=actor, holding_id=holding_id)
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


def _take_number(unit: IssuingUnit, year: int, *, actor: User) -> CertificateNumber:
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
    transition(number, "use", actor=actor)
    return number


def _text(
    holding: TitleHolding,
    number: str,
    unit: IssuingUnit,
    today,
    public_url: str = "",
    copy: int = 1,
) -> pdf.CertificateText:
    from zhicheng.certificates.verification import verification_code

    person = holding.person
    return pdf.CertificateText(
        gender=person.get_gender_display(),
        series=holding.title.series.name,
        document_number=holding.document_number,
        verification_code=verification_code(number, copy),
        copy=copy,
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
    certificate, text = _certificate_begin(
        actor=actor, holding=holding, issuing_unit=issuing_unit, public_url=public_url
    )
    # Outside any transaction: the number and the holding rows are not held while this runs.
    signed = pdf.sign(pdf.render(text), location=certificate.issuing_unit.organization.name)
    return _certificate_finish(certificate.pk, signed)


@transaction.atomic
def _certificate_begin(
    *,
    actor: User,
    holding: TitleHolding | int,
    issuing_unit: IssuingUnit | int,
    public_url: str | None,
) -> tuple[Certificate, pdf.CertificateText]:
    """The first, short transaction: checks, takes the number, creates the certificate 生成中
    and reads what its face shows."""
    locked = _holding_in_scope(actor, holding)
    existing = Certificate.objects.filter(holding=locked).select_related("number").first()
    if existing is not None:
        if existing.status == CertificateStatus.PENDING:
            raise ApplicationError(
                f"{locked.person.name}的{locked.title.name}证书正在生成中"
                f"（{existing.number.number}），请稍后刷新页面"
            )
        raise ApplicationError(
            f"{locked.person.name}的{locked.title.name}已发放证书（{existing.number.number}）"
        )
    if person_is_barred(locked.person_id):
        raise ApplicationError(f"{locked.person.name}在黑名单中，不能发放证书")
    unit = _unit_in_scope(actor, issuing_unit)
    today = timezone.localdate()
    number = _take_number(unit, today.year, actor=actor)
    certificate = Certificate(
        holding=locked,
        number=number,
        issuing_unit=unit,
        status=CertificateStatus.PENDING,
        issued_by=actor,
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        raise ApplicationError("该证书已被他人发放，请刷新页面") from None
    text = _text(locked, number.number, unit, today, public_url or pdf.public_url())
    return certificate, text


def _certificate_finish(certificate_id: int, signed: bytes) -> Certificate:
    """The second transaction: stores the signed PDF and marks the certificate 有效 (with its
    operation-log entry). A certificate finished meanwhile (by the recovery task) is left as
    it is and this file is dropped."""
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related(
                "number", "holding__person", "holding__title", "issuing_unit__organization"
            )
            .get(pk=certificate_id)
        )
        if locked.status != CertificateStatus.PENDING:
            return locked
        number = locked.number.number
        locked.file.save(f"{number}.pdf", ContentFile(signed), save=False)
        stored = locked.file.name
        try:
            holding = locked.holding
            transition(
                locked,
                "finish",
                actor=locked.issued_by,
                values={"file": locked.file, "sha256": hashlib.sha256(signed).hexdigest()},
                summary=(
                    f"发放证书 {number}：{holding.person.name}的{holding.title.name}"
                    f"（发证单位 {locked.issuing_unit.organization.name}）"
                ),
                operation="issue",
            )
        except Exception:
            locked.file.storage.delete(stored)
            raise
    return locked


def certificates_finish_pending(*, older_than: dt.timedelta = PENDING_GRACE) -> int:
    """Finish the certificates left 生成中 for longer than ``older_than`` (their request
    crashed between its two transactions): render and sign each again, outside any
    transaction, and store it. Returns how many were finished. The QR code points at the
    default public address (the request's own is not known any more)."""
    cutoff = timezone.now() - older_than
    finished = 0
    pending = Certificate.objects.filter(
        status=CertificateStatus.PENDING, issued_at__lte=cutoff
    ).values_list("pk", flat=True)
    for certificate_id in list(pending):
        certificate = Certificate.objects.select_related(
            "number",
            "issuing_unit__organization",
            "holding__person",
            "holding__title",
            "holding__specialty",
            "holding__approving_organization",
        ).get(pk=certificate_id)
        issued_on = timezone.localdate(certificate.issued_at)
        text = _text(
            certificate.holding,
            certificate.number.number,
            certificate.issuing_unit,
            issued_on,
            pdf.public_url(),
        )
        try:
            signed = pdf.sign(pdf.render(text), location=certificate.issuing_unit.organization.name)
            if _certificate_finish(certificate_id, signed).status == CertificateStatus.VALID:
                finished += 1
        except Exception:
            logger.exception(
                "certificate %s: finishing the pending certificate failed", certificate_id
            )
    return finished


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
    so); its number is never given to another certificate. A certificate already reported to
    the national platform gets its 撤销 outbox row (``national.revoke_enqueue``)."""
    require_perm(actor, REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写撤销原因")
    if len(reason) > REVOKE_REASON_MAX:
        raise ApplicationError(f"撤销原因不能超过 {REVOKE_REASON_MAX} 字")
    certificate_id = certificate.pk if isinstance(certificate, Certificate) else certificate
    with transaction.atomic():
        locked = (
            scoped(
                Certificate.objects.select_related("number", "holding__person", "holding__title"),
                actor,
            )
            .select_for_update(of=("self",))
            .filter(pk=certificate_id)
            .first()
        )
        if locked is None:
            raise ApplicationError("证书不存在或不在您的管辖范围内")
        if locked.status == CertificateStatus.REVOKED:
            raise ApplicationError(f"证书 {locked.number.number} 已撤销")
        if locked.status == CertificateStatus.PENDING:
            raise ApplicationError(f"证书 {locked.number.number} 正在生成中，不能撤销")
        holding = locked.holding
        transition(
            locked,
            "revoke",
            actor=actor,
            opinion=reason,
            values={"revoke_reason": reason, "revoked_by": actor, "revoked_at": timezone.now()},
            summary=(
                f"撤销证书 {locked.number.number}：{holding.person.name}的{holding.title.name}"
                f"，撤销原因：{reason}"
            ),
            operation="revoke",
        )
        # Reported to the national platform already: its 撤销 follows (1.18), same transaction.
        national.revoke_enqueue(locked, actor=actor)
    return locked

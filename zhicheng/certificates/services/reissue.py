"""Writes of 证书遗失补发: the holder asks for a new copy; an officer of the issuing unit re-issues
it (the same number and content, a new signature, a 补发 mark and the copy number on the face)
or refuses. The copy replaced keeps its file and digest on the reissue row and verifies as
已补发 from then on (its 核验码 names the old copy; ``verification``).

Not reported to the national platform: the national record (``national.national_record``)
carries the number, content and status, and none of them changes on a reissue (the status
stays 有效); the record has no copy number, and its outbox keeps one row per certificate and
kind, so a reissue has nothing new to send."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    REISSUE_REASON_MAX,
    Certificate,
    CertificateReissue,
    CertificateStatus,
    ReissueStatus,
)
from zhicheng.certificates.services import issuing
from zhicheng.certificates.services.verification import verification_records_write
from zhicheng.certificates.verification import sha256
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition

REQUEST = "certificates.view_own_certificate"
REISSUE = "certificates.reissue_certificate"
OPINION_MAX = 200

_RELATED = (
    "number",
    "issuing_unit__organization",
    "holding__person",
    "holding__title__series",
    "holding__specialty",
    "holding__approving_organization",
)


def reissue_request(
    *, actor: User, certificate: Certificate | int, reason: str
) -> CertificateReissue:
    """申请补发: the holder of a 有效 certificate asks for a new copy, giving the reason (遗失,
    损毁 …). One open request per certificate."""
    require_perm(actor, REQUEST)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写补发原因")
    if len(reason) > REISSUE_REASON_MAX:
        raise ApplicationError(f"补发原因不能超过 {REISSUE_REASON_MAX} 字")
    certificate_id = getattr(certificate, "pk", certificate)
    with transaction.atomic():
        found = (
            Certificate.objects.select_related("number", "holding__person", "holding__title")
            .filter(pk=certificate_id, holding__person__user=actor)
            .select_for_update(of=("self",))
            .first()
        )
        if found is None:
            raise ApplicationError("证书不存在或不是您本人的证书")
        if found.status != CertificateStatus.VALID:
            raise ApplicationError(
                f"证书 {found.number.number} {found.get_status_display()}，不能申请补发"
            )
        if found.reissues.filter(status=ReissueStatus.REQUESTED).exists():
            raise ApplicationError(f"证书 {found.number.number} 已有待办理的补发申请")
        request = CertificateReissue(certificate=found, reason=reason, requested_by=actor)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            raise ApplicationError(f"证书 {found.number.number} 已有待办理的补发申请") from None
        from zhicheng.common.oplog import operation_record

        operation_record(
            actor=actor,
            operation="reissue_request",
            obj=request,
            summary=(
                f"申请补发证书 {found.number.number}：{found.holding.person.name}的"
                f"{found.holding.title.name}，补发原因：{reason}"
            ),
        )
    return request


def _locked_request(actor: User, reissue: CertificateReissue | int) -> CertificateReissue:
    reissue_id = getattr(reissue, "pk", reissue)
    locked = (
        scoped(CertificateReissue.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=reissue_id)
        .first()
    )
    if locked is None:
        raise ApplicationError("补发申请不存在或不在您的管辖范围内")
    if locked.status != ReissueStatus.REQUESTED:
        raise ApplicationError(f"该补发申请{locked.get_status_display()}，不能重复办理")
    return locked


def reissue_approve(
    *,
    actor: User,
    reissue: CertificateReissue | int,
    opinion: str = "",
    public_url: str | None = None,
) -> CertificateReissue:
    """补发: sign copy N + 1 of the certificate (same number, same content, today's 签发 date
    unchanged: the face keeps the original 发证日期) and put it in place of the file; the
    replaced copy is kept on this row. One transaction: reissues are rare and the certificate
    row is held while its new copy is signed."""
    require_perm(actor, REISSUE)
    opinion = (opinion or "").strip()[:OPINION_MAX]
    with transaction.atomic():
        locked = _locked_request(actor, reissue)
        certificate = (
            Certificate.objects.select_related(*_RELATED)
            .select_for_update(of=("self",))
            .get(pk=locked.certificate_id)
        )
        if certificate.status != CertificateStatus.VALID:
            raise ApplicationError(
                f"证书 {certificate.number.number} {certificate.get_status_display()}，不能补发"
            )
        copy = certificate.copy + 1
        number = certificate.number.number
        text = issuing._text(
            certificate.holding,
            number,
            certificate.issuing_unit,
            timezone.localdate(certificate.issued_at),
            public_url or pdf.public_url(),
            copy=copy,
        )
        signed = pdf.sign(pdf.render(text), location=certificate.issuing_unit.organization.name)
        old_name, old_digest = certificate.file.name, certificate.sha256
        certificate.file.save(f"{number}-{copy}.pdf", ContentFile(signed), save=False)
        certificate.copy = copy
        certificate.sha256 = sha256(signed)
        certificate.save(update_fields=["file", "sha256", "copy"])
        verification_records_write([certificate.pk])
        holding = certificate.holding
        transition(
            locked,
            "approve",
            actor=actor,
            opinion=opinion,
            values={
                "decided_by": actor,
                "decided_at": timezone.now(),
                "opinion": opinion,
                "copy": copy,
                "superseded_sha256": old_digest,
                "superseded_file": old_name,
            },
            summary=(
                f"补发证书 {number}（第{copy}份）：{holding.person.name}的{holding.title.name}，"
                f"补发原因：{locked.reason}；原证书作废（已补发）"
            ),
            operation="reissue",
        )
    return locked


def reissue_refuse(
    *, actor: User, reissue: CertificateReissue | int, opinion: str
) -> CertificateReissue:
    """不予补发, with the reason the holder reads."""
    require_perm(actor, REISSUE)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ApplicationError("请填写不予补发的原因")
    if len(opinion) > OPINION_MAX:
        raise ApplicationError(f"办理意见不能超过 {OPINION_MAX} 字")
    with transaction.atomic():
        locked = _locked_request(actor, reissue)
        certificate = Certificate.objects.select_related(
            "number", "holding__person", "holding__title"
        ).get(pk=locked.certificate_id)
        transition(
            locked,
            "refuse",
            actor=actor,
            opinion=opinion,
            values={"decided_by": actor, "decided_at": timezone.now(), "opinion": opinion},
            summary=(
                f"不予补发证书 {certificate.number.number}：{certificate.holding.person.name}"
                f"的{certificate.holding.title.name}，原因：{opinion}"
            ),
            operation="reissue_refuse",
        )
    return locked

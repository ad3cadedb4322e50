"""证书核验's table kept in step (``models_verification``): every service that issues, revokes
or reissues a certificate calls :func:`verification_records_write` in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from zhicheng.certificates.models import Certificate, CertificateStatus, VerificationRecord
from zhicheng.common.validators import mask_id_number

# What a record copies, in the order of the constructor's arguments below.
_COPIED = (
    "pk",
    "number__number",
    "holding__person__name",
    "holding__person__id_number",
    "status",
    "copy",
    "holding__title__name",
    "holding__level",
    "issuing_unit__organization__name",
    "issued_at",
)
_CHUNK = 1000


def verification_records_write(certificate_ids: Iterable[int]) -> None:
    """Write the verification records of these certificates (those still 生成中 have none):
    a new one copies the certificate's face; an existing one takes its status and copy in
    force and keeps the rest, which was printed when it was issued."""
    ids = sorted(set(certificate_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = (
            Certificate.objects.filter(pk__in=ids[start : start + _CHUNK])
            .exclude(status=CertificateStatus.PENDING)
            .order_by("pk")
            .values_list(*_COPIED)
        )
        records = [
            VerificationRecord(
                certificate_id=pk,
                number=number,
                holder_name=name,
                masked_id_number=mask_id_number(id_number),
                certificate_status=status,
                copy=copy,
                title=title,
                level=level,
                issuing_unit=unit,
                issued_at=issued_at,
            )
            for pk, number, name, id_number, status, copy, title, level, unit, issued_at in rows
        ]
        VerificationRecord.objects.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=["certificate"],
            update_fields=["certificate_status", "copy"],
        )

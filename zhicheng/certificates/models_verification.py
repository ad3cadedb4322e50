"""证书核验's own table: one narrow row per issued certificate, read by number alone.

Public verification is the busiest read of the system (one per QR scan) and runs over every
certificate a province ever issued — tens of millions. Read through the certificate's seven
joined tables (number, certificate, 取得职称, person, title, issuing unit, organization), each
lookup touches eight index and heap pages spread over the whole certificate store, which stops
fitting in memory long before national scale. This row holds exactly what /verify/ and its API
show, so a lookup is one index descent and one heap page, and the working set is this table
alone (about 250 bytes a certificate with its indexes).

It is a copy kept by the services that change what it shows (``services/verification.py``):
written when a certificate is issued (生成中 → 有效), its status when it is revoked, its copy
when it is reissued. The name, title and issuing unit are those printed on the certificate
when it was issued — what the paper (and its QR link) says — and the 证件号码 is stored masked:
the whole number is not in this table at all.
"""

from django.db import models


class VerificationRecord(models.Model):
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name="证书",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="verification_record",
    )
    number = models.CharField("证书编号", max_length=18)
    holder_name = models.CharField("姓名", max_length=50)
    masked_id_number = models.CharField("证件号码（脱敏）", max_length=32)
    # A copy of the certificate's status (its workflow lives on Certificate), hence the name.
    certificate_status = models.CharField("证书状态", max_length=16)
    copy = models.PositiveSmallIntegerField("现行份次", default=1)
    title = models.CharField("职称名称", max_length=50)
    level = models.CharField("职称级别", max_length=16)
    issuing_unit = models.CharField("发证单位", max_length=200)
    issued_at = models.DateTimeField("发证时间")

    class Meta:
        verbose_name = "证书核验记录"
        verbose_name_plural = "证书核验记录"
        constraints = [
            # A constraint, not ``unique=True``: on PostgreSQL that would add a second,
            # pattern-ops index on the number that no query here uses.
            models.UniqueConstraint(fields=["number"], name="verification_record_number"),
        ]

    def __str__(self) -> str:
        return self.number

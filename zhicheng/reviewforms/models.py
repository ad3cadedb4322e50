"""评审表 (专业技术职务任职资格评审表): the system renders it from the application (``pdf``);
the applicant and the employer print, sign and seal it; the employer's officer uploads the
scan, kept here (``ReviewFormScan``, one per application, a new upload replaces it). The
higher levels see the generated form and the scan side by side on the application's detail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage


def scan_path(instance: ReviewFormScan, filename: str) -> str:
    # Never the uploader's file name on disk: a random name with the detected extension.
    return f"reviewforms/{instance.application_id}/{instance.stored_name}"


@scope_rule(
    org_closure="application__route_nodes__organization",
    owner="application__applicant",
    committee="application__committee",
)
class ReviewFormScan(models.Model):
    """The signed and sealed 评审表 as scanned by the employer (PDF/JPG/PNG, checked by
    content, ≤ 20 MB)."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name="职称申报",
        on_delete=models.CASCADE,
        related_name="review_form_scan",
    )
    file = models.FileField("文件", upload_to=scan_path, storage=private_storage, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "评审表扫描件"
        verbose_name_plural = "评审表扫描件"

    def __str__(self) -> str:
        return f"评审表扫描件：{self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

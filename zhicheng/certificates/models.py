"""Certificates: issuing units (1.9 发证单位编码配置); later the number pool (1.16) and certificates."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from zhicheng.common.models import Deregistrable, DeregistrationStatus
from zhicheng.common.scoping import scope_rule

ISSUING_UNIT_CODE_HELP = (
    "8位数字：发证单位所在地6位行政区划代码 + 2位顺序号（01–99），如 32010001；"
    "编码全省唯一，注销后不再复用"
)


IssuingUnitStatus = DeregistrationStatus


def validate_issuing_unit_code_format(value: str) -> None:
    if not value or len(value) != 8 or not value.isdigit():
        raise ValidationError("发证单位编码应为8位数字（6位行政区划代码 + 2位顺序号）")
    if value[6:] == "00":
        raise ValidationError("发证单位编码的顺序号应为01–99")


@scope_rule(org_path="organization__path")
class IssuingUnit(Deregistrable):
    """发证单位编码: the code of an organization that issues title certificates.

    Format rule: 8 digits = the issuing organization's 6-digit 行政区划代码 (GB/T 2260, the
    organization's ``region_code``) + a 2-digit sequence number 01–99, so one region can have
    several issuing units (the bureau itself, a committee organizer, …) and the certificate
    numbers derived from the code (1.16) tell where a certificate was issued. Example: 南京市人社局
    (320100) → ``32010001``. Codes are unique for ever: a deregistered unit keeps its code, so
    certificate numbers made from it stay unambiguous. An organization has at most one active
    issuing unit.

    Scoped by the organization it concerns: a bureau manages the issuing units of its subtree.
    Deregistered (注销) units keep status, reason, who and when; they are never deleted and
    cannot be chosen for new work (number pools, certificates).
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位名称",
        on_delete=models.PROTECT,
        related_name="issuing_units",
    )
    code = models.CharField(
        "编码",
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", "发证单位编码应为8位数字")],
        help_text=ISSUING_UNIT_CODE_HELP,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "发证单位"
        verbose_name_plural = "发证单位"
        permissions = [("deregister_issuingunit", "注销发证单位")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="active"),
                name="certificates_one_active_issuing_unit_per_org",
                violation_error_message="该单位已有正常状态的发证单位编码",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.organization.name}" if self.organization_id else self.code

    def clean(self) -> None:
        if not self.code:
            return
        try:
            validate_issuing_unit_code_format(self.code)
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from None
        if self.organization_id and self.code[:6] != self.organization.region_code:
            raise ValidationError(
                {"code": (f"编码前6位应为该单位的行政区划代码 {self.organization.region_code}")}
            )


auditlog.register(IssuingUnit)

"""用人单位 (issue 14): a unit's self-registration (单位注册, approved by its 主管单位) and the
单位内部公示 a unit holds before it recommends applicants (推荐, its approval of an application).

- ``UnitRegistration``: what a unit filled in (统一社会信用代码, name, contact, 主管单位) with the
  login it chose. The login stays inactive until the 主管单位's officer approves; approval creates
  the ``orgs.Organization`` under the 主管单位 and activates the login as 单位经办.
- ``UnitPublicity``: 单位内部公示 of some of the unit's applications: the period (≥ 5 working
  days on the Chinese calendar), then the sealed scan of the result with the 推荐意见.
"""

from __future__ import annotations

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q

from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage
from zhicheng.common.workflow import Workflow


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REFUSED = "refused", "未通过"


# A refused registration is final: the unit registers again (its code is free again).
REGISTRATION_TRANSITIONS = {
    RegistrationStatus.PENDING: {
        "approve": RegistrationStatus.APPROVED,
        "refuse": RegistrationStatus.REFUSED,
    },
    RegistrationStatus.APPROVED: {},
    RegistrationStatus.REFUSED: {},
}
# Registrations that hold their 统一社会信用代码 (a second registration of it is refused).
HOLDING_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


@scope_rule(org_path="competent__path", owner="account")
class UnitRegistration(Timestamped):
    """单位注册: a unit's request for an account, decided by its 主管单位 (or a level above)."""

    uscc = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("单位名称", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    competent = models.ForeignKey(
        "orgs.Organization",
        verbose_name="主管单位",
        on_delete=models.PROTECT,
        related_name="unit_registrations",
    )
    # A unit refused and registering again keeps its login: one account, several rows.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="单位账号",
        on_delete=models.PROTECT,
        related_name="unit_registrations",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    reason = models.CharField("审核意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="审核通过时建立的机构",
    )

    workflow = Workflow(
        REGISTRATION_TRANSITIONS,
        actions={"approve": "审核通过", "refuse": "审核不通过"},
        refused=lambda reg, action, to: f"该单位注册{reg.get_status_display()}，不能再审核",
    )

    class Meta:
        verbose_name = "单位注册"
        verbose_name_plural = "单位注册"
        permissions = [("review_unitregistration", "审核单位注册、重置下级单位账号密码")]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=Q(status__in=["pending", "approved"]),
                name="units_one_live_registration_per_uscc",
                violation_error_message="该统一社会信用代码已注册",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="unitreg_status_created")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    @property
    def state_message(self) -> str:
        """What the unit's login is told while it cannot act yet."""
        if self.status == RegistrationStatus.PENDING:
            return f"单位注册正在等待主管单位“{self.competent.name}”审核，审核通过后方可登录"
        if self.status == RegistrationStatus.REFUSED:
            return f"单位注册未通过审核：{self.reason}。请修改后重新注册"
        return ""


def publicity_scan_path(instance: UnitPublicity, filename: str) -> str:
    # Never the uploader's file name in the path: a random name with the detected extension.
    return f"units/publicity/{instance.organization_id}/{instance.stored_name}"


# 推荐意见 the page offers (the unit may write its own).
STANDARD_RECOMMENDATIONS = (
    "经单位内部公示，无异议，同意推荐。",
    "经单位内部公示期满，未收到异议，该同志符合申报条件，材料真实有效，同意推荐。",
    "经公示，有异议但经核查不影响申报，同意推荐。",
)


@scope_rule(org_path="organization__path")
class UnitPublicity(Timestamped):
    """单位内部公示 of a unit's applications: period, sealed result scan, 推荐意见."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="公示单位",
        on_delete=models.PROTECT,
        related_name="unit_publicities",
    )
    applications = models.ManyToManyField(
        "applications.Application", verbose_name="公示的申报", related_name="unit_publicities"
    )
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示结束日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    # The sealed scan of the result, with the 推荐意见 (both empty until uploaded).
    recommendation = models.TextField("推荐意见", max_length=1000, blank=True)
    file = models.FileField(
        "公示结果扫描件",
        upload_to=publicity_scan_path,
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    stored_name = models.CharField(max_length=80, editable=False, blank=True)
    original_name = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=50, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    result_uploaded_at = models.DateTimeField("结果上传时间", null=True, blank=True)

    class Meta:
        verbose_name = "单位内部公示"
        verbose_name_plural = "单位内部公示"
        indexes = [models.Index(fields=["organization", "-starts_on"], name="unitpub_org_start")]

    def __str__(self) -> str:
        return f"单位内部公示 {self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}"

    @property
    def has_result(self) -> bool:
        return self.result_uploaded_at is not None

    def ended(self, today: dt.date) -> bool:
        return today > self.ends_on

    def state(self, today: dt.date) -> str:
        if today < self.starts_on:
            return "未开始"
        if not self.ended(today):
            return "公示中"
        return "已完成" if self.has_result else "期满待上传结果"


auditlog.register(UnitRegistration)
auditlog.register(UnitPublicity, exclude_fields=["stored_name", "sha256"])

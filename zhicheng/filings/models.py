"""评后公示 (publicity), 异议 (objections) and 1.15 职称评审结果备案 (result filing).

After a plan's meeting has closed, the committee publishes the passed list (``Publicity``): a
start date it chooses, an end date ≥ 5 working days later on the Chinese calendar
(``workdays.publicity_end``). Anyone may open the list while it runs (``/publicity/``). An
``Objection`` (异议) against a participant is recorded with its content and source and must be
resolved: 成立 (``upheld``) removes the participant from the passed list with the reason,
不成立 (``dismissed``) leaves it. Once the period has ended and every objection is resolved, the
committee sends the plan for filing (``ResultFiling``): the HR officers of the organization that
approved the plan (1.13/1.14) review it — 审核结果, 审核意见, 备案文号, 备案时间 — and 审核通过
grants each participant on the list the title (``titles.services.title_holdings_grant``);
审核不通过 returns it to the committee, which corrects and sends it again.

The plan's own statuses are left alone: the publicity and filing state lives here.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from zhicheng.common import workdays
from zhicheng.common.scoping import scope_rule
from zhicheng.common.workflow import Workflow

# 评后公示 lasts at least this many working days (statutory holidays skipped, 调休 counted).
PUBLICITY_WORKDAYS = 5
TEXT_MAX = 1000


@scope_rule(org_path="plan__committee__organization__path", committee="plan__committee")
class Publicity(models.Model):
    """评后公示 of one plan's passed list (one per plan)."""

    plan = models.OneToOneField(
        "plans.EvaluationPlan",
        verbose_name="呈报方案",
        on_delete=models.PROTECT,
        related_name="publicity",
    )
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示结束日期")
    note = models.CharField("公示说明", max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "评后公示"
        verbose_name_plural = "评后公示"
        permissions = [("publish_publicity", "发布评后公示、处理异议、报送备案")]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="publicity_period")]

    def __str__(self) -> str:
        return f"{self.plan}的评后公示"

    def phase(self, today=None) -> str:
        today = today or workdays.today()
        if today < self.starts_on:
            return "未开始"
        return "公示中" if today <= self.ends_on else "公示结束"

    @property
    def phase_display(self) -> str:
        return self.phase()

    @property
    def is_under_way(self) -> bool:
        return self.phase() == "公示中"

    @property
    def has_ended(self) -> bool:
        return self.phase() == "公示结束"

    @property
    def period_display(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "成立"
    DISMISSED = "dismissed", "不成立"


@scope_rule(
    org_path="publicity__plan__committee__organization__path",
    committee="publicity__plan__committee",
)
class Objection(models.Model):
    """异议 against one participant of a publicity."""

    publicity = models.ForeignKey(
        Publicity, verbose_name="评后公示", on_delete=models.PROTECT, related_name="objections"
    )
    participant = models.ForeignKey(
        "plans.PlanParticipant",
        verbose_name="参评人员",
        on_delete=models.PROTECT,
        related_name="objections",
    )
    content = models.TextField("异议内容", max_length=TEXT_MAX)
    source = models.CharField("异议来源", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    status = models.CharField(
        "处理结果", max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    resolution = models.TextField("处理意见", max_length=TEXT_MAX, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    workflow = Workflow(
        {
            ObjectionStatus.PENDING: {
                "uphold": ObjectionStatus.UPHELD,
                "dismiss": ObjectionStatus.DISMISSED,
            },
            ObjectionStatus.UPHELD: {},
            ObjectionStatus.DISMISSED: {},
        },
        actions={"uphold": "认定异议成立", "dismiss": "认定异议不成立"},
        refused=lambda obj, action, to: f"该异议已处理（{obj.get_status_display()}），请刷新页面",
    )

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        indexes = [models.Index(fields=["publicity", "status"], name="objection_open")]

    def __str__(self) -> str:
        return f"异议 #{self.pk}"

    @property
    def upheld(self) -> bool:
        return self.status == ObjectionStatus.UPHELD


class FilingStatus(models.TextChoices):
    PENDING = "pending", "待备案"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核不通过"


@scope_rule(org_path="filing_organization__path", committee="plan__committee")
class ResultFiling(models.Model):
    """1.15 职称评审结果备案 of one plan: sent by the committee, reviewed by the HR officers of the
    organization that approved the plan (``filing_organization``)."""

    plan = models.OneToOneField(
        "plans.EvaluationPlan",
        verbose_name="呈报方案",
        on_delete=models.PROTECT,
        related_name="result_filing",
    )
    filing_organization = models.ForeignKey(
        "orgs.Organization", verbose_name="备案机构", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "审核状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("报送时间")
    send_count = models.PositiveSmallIntegerField("报送次数", default=1)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.TextField("审核意见", max_length=TEXT_MAX, blank=True)
    filing_number = models.CharField("备案文号", max_length=100, blank=True)
    filed_on = models.DateField("备案时间", null=True, blank=True)
    # 审核通过: how many participants were granted the title.
    granted_count = models.PositiveIntegerField("取得职称人数", default=0)

    workflow = Workflow(
        {
            FilingStatus.PENDING: {
                "approve": FilingStatus.APPROVED,
                "reject": FilingStatus.REJECTED,
            },
            FilingStatus.REJECTED: {"send": FilingStatus.PENDING},
            FilingStatus.APPROVED: {},
        },
        actions={"send": "报送备案", "approve": "备案审核通过", "reject": "备案审核不通过"},
        refused=lambda obj, action, to: (
            f"该方案的备案{obj.get_status_display()}，不能"
            f"{ {'send': '报送备案', 'approve': '审核', 'reject': '审核'}.get(action, action) }"
            "，请刷新页面"
        ),
    )

    class Meta:
        verbose_name = "职称评审结果备案"
        verbose_name_plural = "职称评审结果备案"
        permissions = [("review_resultfiling", "职称评审结果备案审核")]
        indexes = [
            models.Index(fields=["filing_organization", "status"], name="filing_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}的结果备案"


auditlog.register(Publicity)
auditlog.register(Objection)
auditlog.register(ResultFiling)

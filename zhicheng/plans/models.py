"""呈报方案 (1.13 审核, 1.14 审核（特殊情况）, 1.23 查询): a committee's plan for an evaluation — the
participants (applicants qualified for it), the experts it needs, the scoring rules and the
attachments — submitted to the HR bureau and reviewed there. A plan is 正常 or 特殊; the two kinds
are reviewed by different people."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage
from zhicheng.common.workflow import Workflow


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核不通过"


class ExpertLevel(models.TextChoices):
    """The title an evaluation expert must hold."""

    SENIOR_FULL = "senior_full", "正高级"
    SENIOR_DEPUTY = "senior_deputy", "副高级及以上"


# Plans the committee may still change (after 审核不通过 it corrects and submits again).
EDITABLE = (PlanStatus.DRAFT, PlanStatus.REJECTED)


@scope_rule(org_path="committee__organization__path", committee="committee")
class EvaluationPlan(models.Model):
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name="评委会",
        on_delete=models.PROTECT,
        related_name="plans",
    )
    name = models.CharField("方案名称", max_length=200)
    year = models.PositiveSmallIntegerField("评审年度")
    is_special = models.BooleanField("特殊方案", default=False)
    special_reason = models.TextField("特殊情况说明", blank=True, max_length=1000)
    meeting_date = models.DateField("拟评审日期", null=True, blank=True)
    note = models.TextField("方案说明", blank=True, max_length=2000)
    status = models.CharField(
        "状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编制人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    submitted_at = models.DateTimeField("呈报时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_opinion = models.TextField("审核意见", blank=True, max_length=1000)
    # 申报批次: when set, the plan takes the participants of that window only.
    window = models.ForeignKey(
        "windows.ApplicationWindow",
        verbose_name="申报批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )

    # 呈报 (again after 审核不通过), then 审核通过 or 审核不通过 — services.plan_submit/plan_review.
    workflow = Workflow(
        {
            PlanStatus.DRAFT: {"submit": PlanStatus.SUBMITTED},
            PlanStatus.SUBMITTED: {"approve": PlanStatus.APPROVED, "reject": PlanStatus.REJECTED},
            PlanStatus.APPROVED: {},
            PlanStatus.REJECTED: {"submit": PlanStatus.SUBMITTED},
        },
        actions={"submit": "呈报", "approve": "审核通过", "reject": "审核不通过"},
    )

    class Meta:
        verbose_name = "呈报方案"
        verbose_name_plural = "呈报方案"
        permissions = [
            ("review_normal_plan", "审核正常呈报方案"),
            ("review_special_plan", "审核特殊呈报方案"),
        ]
        indexes = [
            models.Index(fields=["is_special", "status", "submitted_at"], name="plan_review_queue")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_display(self) -> str:
        return "特殊方案" if self.is_special else "正常方案"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class PlanParticipant(models.Model):
    """参评人员: an evaluation application approved to the top for this plan's committee."""

    plan = models.ForeignKey(
        EvaluationPlan,
        verbose_name="呈报方案",
        on_delete=models.CASCADE,
        related_name="participants",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="职称申报",
        on_delete=models.PROTECT,
        related_name="plan_participations",
    )

    class Meta:
        verbose_name = "参评人员"
        verbose_name_plural = "参评人员"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "application"], name="plans_participant_once_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"参评人员 #{self.application_id}"


class ExpertRequirement(models.Model):
    """专家需求: how many experts of which specialty and title the evaluation needs."""

    plan = models.ForeignKey(
        EvaluationPlan, verbose_name="呈报方案", on_delete=models.CASCADE, related_name="experts"
    )
    specialty = models.ForeignKey(
        "catalog.Specialty", verbose_name="专业", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("专家职称级别", max_length=16, choices=ExpertLevel.choices)
    count = models.PositiveSmallIntegerField("人数")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "专家需求"
        verbose_name_plural = "专家需求"

    def __str__(self) -> str:
        return f"{self.get_level_display()}专家 {self.count} 人"


class ScoringItem(models.Model):
    """方案打分细则: one item of the scoring rules, with its full marks."""

    plan = models.ForeignKey(
        EvaluationPlan, verbose_name="呈报方案", on_delete=models.CASCADE, related_name="scoring"
    )
    name = models.CharField("打分项目", max_length=100)
    max_score = models.PositiveSmallIntegerField("分值")
    description = models.CharField("评分标准", max_length=500, blank=True)

    class Meta:
        verbose_name = "打分细则"
        verbose_name_plural = "打分细则"

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}分）"


def plan_attachment_path(instance: "PlanAttachment", filename: str) -> str:
    # Never the uploader's file name in the path: a random name with the detected extension.
    return f"plans/{instance.plan_id}/{instance.stored_name}"


class PlanAttachment(models.Model):
    """方案附件 (PDF/JPG/PNG by content, ≤ 20 MB), served only through an authorised view."""

    plan = models.ForeignKey(
        EvaluationPlan,
        verbose_name="呈报方案",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        "文件", upload_to=plan_attachment_path, storage=private_storage, max_length=300
    )
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "方案附件"
        verbose_name_plural = "方案附件"

    def __str__(self) -> str:
        return self.original_name


auditlog.register(EvaluationPlan)
auditlog.register(PlanParticipant)
auditlog.register(ExpertRequirement)
auditlog.register(ScoringItem)
auditlog.register(PlanAttachment, exclude_fields=["file"])

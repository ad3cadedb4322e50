"""The append-only ``ReviewRecord`` (one workflow step each): the 过程跟踪 timeline (1.24)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from zhicheng.common.scoping import scope_rule

from .application import Application, ApplicationStatus, ReviewAction


class ReturnReason(models.TextChoices):
    """Common reasons of a return — ticked together so one return tells everything (一次性告知)."""

    MATERIALS_MISSING = "materials_missing", "申报材料不齐全"
    INFO_INCOMPLETE = "info_incomplete", "信息填写不完整或有误"
    ID_DOCUMENT = "id_document", "身份证件不清晰或与填报信息不符"
    EDUCATION = "education", "学历证书不清晰或与填报信息不符"
    CURRENT_TITLE = "current_title", "现职称证书缺失或与填报信息不符"
    SERVICE_YEARS = "service_years", "任职年限不符合申报条件"
    PERFORMANCE = "performance", "业绩材料不足或不符合申报条件"
    OTHER = "other", "其他（见审核意见）"


class ReviewRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("审核记录只能追加，不能修改")

    def delete(self):
        raise ValidationError("审核记录只能追加，不能删除")


@scope_rule(
    org_closure="application__route_nodes__organization",
    owner="application__applicant",
    committee="application__committee",
)
class ReviewRecord(models.Model):
    """One step of the workflow (append-only): who did what where, with what opinion."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="review_records"
    )
    action = models.CharField("操作", max_length=32, choices=ReviewAction.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="审核机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="申报人本人的操作为空",
    )
    # Empty for the scheduled 视为放弃 step (``actor_name`` is then 系统).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_name = models.CharField("经办人姓名", max_length=150)
    opinion = models.TextField("审核意见", blank=True, max_length=2000)
    reasons = models.JSONField("退回原因", default=list, blank=True)
    # 退回补正: the modules named and the deadline (set when the return reaches the applicant).
    modules = models.JSONField("补正模块", default=list, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField(
        "补正期限（工作日）", null=True, blank=True
    )
    deadline = models.DateField("补正期限", null=True, blank=True)
    acceptance_number = models.CharField("受理号", max_length=32, blank=True)
    from_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="从",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="到",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField("原状态", max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=ApplicationStatus.choices)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = ReviewRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="review_record_app")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_name} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("审核记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("审核记录只能追加，不能删除")

    @property
    def qualifies_for_evaluation(self) -> bool:
        """The committee's approval at the top of a 评审 route: the applicant is qualified to
        be evaluated, not yet holding the title."""
        return (
            self.action == ReviewAction.APPROVE
            and self.to_status == ApplicationStatus.APPROVED
            and self.application.is_evaluation
            and self.application.committee_id is not None
        )

    @property
    def reviewer_name(self) -> str:
        """Who took the step, as the applicant and the timeline name it: the committee for its
        own qualification step, else the reviewing organization."""
        if self.qualifies_for_evaluation:
            return self.application.committee.name
        if self.action == ReviewAction.EXPIRE:
            return "系统"
        return self.organization.name if self.organization_id else "申报人"

    @property
    def outcome_text(self) -> str:
        """What the step means for the applicant, as a sentence's predicate."""
        if self.action == ReviewAction.APPROVE:
            if self.to_status != ApplicationStatus.APPROVED:
                return f"审核通过，已推送至{self.to_organization.name}"
            if self.qualifies_for_evaluation:
                return "资格审核通过，待评审"
            return "审核通过，申报已生效"
        if self.to_status == ApplicationStatus.RETURNED:
            if self.deadline:
                return f"退回给您，请在{self.deadline:%Y-%m-%d}前补正后重新提交"
            return "退回给您，请修改后重新提交"
        if self.to_status == ApplicationStatus.ABANDONED:
            return "逾期未补正，申报视为放弃"
        return f"退回至{self.to_organization.name}" if self.to_organization_id else ""

    @property
    def destination_text(self) -> str:
        """过程跟踪's 去向 column."""
        if self.to_organization_id:
            return self.to_organization.name
        return {
            ApplicationStatus.RETURNED: "退回申报人",
            ApplicationStatus.APPROVED: "待评审" if self.qualifies_for_evaluation else "生效",
            ApplicationStatus.WITHDRAWN: "已撤回",
            ApplicationStatus.ABANDONED: "视为放弃",
        }.get(self.to_status, "—")

    @property
    def module_labels(self) -> list[str]:
        from .application import ReturnModule

        labels = dict(ReturnModule.choices)
        return [labels.get(code, code) for code in self.modules or []]

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(ReturnReason.choices)
        return [labels.get(code, code) for code in self.reasons or []]

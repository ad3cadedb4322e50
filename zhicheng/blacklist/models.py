"""黑名单 (guide 1.21): a person listed by a bureau for a period (default 3 years).

The stored ``status`` is ``active`` or ``lifted`` (解除, with reason, actor and time; the entry
stays as history). Whether an active entry is 未生效 / 生效中 / 已到期 is computed from the dates
on the day asked — entries expire by themselves, no job flips them. The end date is inclusive.
"""

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhicheng.common.scoping import scope_rule
from zhicheng.common.workflow import Workflow

DEFAULT_YEARS = 3


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_end_date(start: dt.date) -> dt.date:
    return add_years(start, DEFAULT_YEARS)


class BlacklistReason(models.TextChoices):
    FALSE_MATERIALS = "false_materials", "提供虚假材料"
    PLAGIARISM = "plagiarism", "剽窃他人成果"
    IMPROPER_MEANS = "improper_means", "以其他不正当手段取得职称"
    OTHER = "other", "其他"


class BlacklistStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    LIFTED = "lifted", "已解除"


class BlacklistState(models.TextChoices):
    """What an entry means on a given day (computed, never stored)."""

    PENDING = "pending", "未生效"
    IN_FORCE = "in_force", "生效中"
    EXPIRED = "expired", "已到期"
    LIFTED = "lifted", "已解除"


def state_q(state: str, on: dt.date) -> Q:
    """The filter for entries in ``state`` on day ``on``."""
    active = Q(status=BlacklistStatus.ACTIVE)
    return {
        BlacklistState.PENDING: active & Q(start_date__gt=on),
        BlacklistState.IN_FORCE: active & Q(start_date__lte=on, end_date__gte=on),
        BlacklistState.EXPIRED: active & Q(end_date__lt=on),
        BlacklistState.LIFTED: Q(status=BlacklistStatus.LIFTED),
    }[BlacklistState(state)]


class BlacklistEntryQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None) -> "BlacklistEntryQuerySet":
        return self.filter(state_q(BlacklistState.IN_FORCE, on or timezone.localdate()))


@scope_rule(org_path="organization__path")
class BlacklistEntry(models.Model):
    person = models.ForeignKey(
        "persons.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    reason = models.CharField("原因类别", max_length=32, choices=BlacklistReason.choices)
    document_number = models.CharField("依据文号", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    notes = models.TextField("备注", blank=True, max_length=2000)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="列入单位",
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    status = models.CharField(
        "状态", max_length=16, choices=BlacklistStatus.choices, default=BlacklistStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    lift_reason = models.TextField("解除原因", blank=True, max_length=2000)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="解除人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField("解除时间", null=True, blank=True)

    objects = BlacklistEntryQuerySet.as_manager()
    # The only move of the stored status: 解除 (the entry stays as history).
    workflow = Workflow(
        {BlacklistStatus.ACTIVE: {"lift": BlacklistStatus.LIFTED}, BlacklistStatus.LIFTED: {}},
        actions={"lift": "解除"},
        refused=lambda entry, action, to: (
            f"该黑名单记录{entry.get_status_display()}，不能改为{BlacklistStatus.LIFTED.label}"
        ),
    )

    class Meta:
        verbose_name = "黑名单"
        verbose_name_plural = "黑名单"
        permissions = [("lift_blacklistentry", "解除黑名单")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="blacklist_end_not_before_start",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]
        indexes = [
            models.Index(fields=["person", "status", "end_date"]),
            models.Index(fields=["start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_reason_display()}（{self.start_date}至{self.end_date}）"

    def clean(self) -> None:
        self.document_number = (self.document_number or "").strip()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期"})

    def state_on(self, on: dt.date | None = None) -> BlacklistState:
        on = on or timezone.localdate()
        if self.status == BlacklistStatus.LIFTED:
            return BlacklistState.LIFTED
        if on < self.start_date:
            return BlacklistState.PENDING
        if on > self.end_date:
            return BlacklistState.EXPIRED
        return BlacklistState.IN_FORCE

    @property
    def state(self) -> BlacklistState:
        return self.state_on()

    @property
    def state_display(self) -> str:
        return self.state.label

    @property
    def is_lifted(self) -> bool:
        return self.status == BlacklistStatus.LIFTED


auditlog.register(BlacklistEntry)

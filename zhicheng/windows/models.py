"""申报批次 (application windows): an HR bureau opens, per 年度, 职称系列 and 级别, the period in
which 评审 applications may be submitted (to the minute). A window is open from ``opens_at``
(included) until ``closes_at`` (excluded): closing at 17:00 takes a submission at 16:59:59, not at
17:00:00. 初定 and 认定 are not windowed.

A window applies to the employers in the subtree of the bureau that opened it. Its state is read
from the clock (未开始 / 进行中 / 已结束), so it has no status column: 提前结束 moves ``closes_at``
to the minute it was closed and records who closed it."""

from __future__ import annotations

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.models import Authored, Timestamped
from zhicheng.common.scoping import scope_rule


class WindowState(models.TextChoices):
    PENDING = "pending", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


def local_minute(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@scope_rule(org_path="organization__path")
class ApplicationWindow(Authored, Timestamped):
    """One 申报批次: applications of ``series`` (a sub-series counts as its series) and ``level``
    for ``year`` may be submitted from ``opens_at`` until ``closes_at``. Windows of one
    organization, series and level never overlap (checked by the services)."""

    name = models.CharField("批次名称", max_length=100)
    year = models.PositiveSmallIntegerField("申报年度")
    series = models.ForeignKey(
        "catalog.TitleSeries", verbose_name="职称系列", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("职称级别", max_length=16, choices=TitleLevel.choices)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="开设单位",
        on_delete=models.PROTECT,
        related_name="application_windows",
    )
    closed_early_at = models.DateTimeField("提前结束时间", null=True, blank=True)
    closed_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提前结束人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ("-year", "-opens_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="windows_opens_before_closes",
                violation_error_message="结束时间应晚于开始时间",
            )
        ]
        indexes = [
            models.Index(fields=["series", "level", "year"], name="window_series_level_year"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_display(self) -> str:
        """申报时间 as the messages and pages show it: ``2026-03-01 09:00 至 2026-03-31 17:00``."""
        return f"{local_minute(self.opens_at)} 至 {local_minute(self.closes_at)}"

    def state_at(self, moment: dt.datetime) -> str:
        if moment < self.opens_at:
            return WindowState.PENDING
        if moment < self.closes_at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_display(self) -> str:
        state = self.state
        if state == WindowState.CLOSED and self.closed_early_at:
            return "已提前结束"
        return WindowState(state).label

    def is_open_at(self, moment: dt.datetime) -> bool:
        return self.state_at(moment) == WindowState.OPEN


auditlog.register(ApplicationWindow)

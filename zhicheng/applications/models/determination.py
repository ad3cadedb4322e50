"""学历 and the configurable 初定 rules that read it."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db import models

from zhicheng.catalog.models import TitleLevel


class Education(models.TextChoices):
    """学历, lowest first."""

    HIGH_SCHOOL = "high_school", "高中及以下"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    JUNIOR_COLLEGE = "junior_college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class InitialDeterminationRule(models.Model):
    """初定 rule: with this 学历 and at least ``min_years`` of work since graduating (and since
    starting work), a person may be initially determined at ``level``. Configurable; seeded with
    中专+1年 → 员级, 大专+3年 → 助理级, 本科+1年 → 助理级, 硕士+2年 → 中级, 博士 → 中级."""

    education = models.CharField("学历", max_length=32, choices=Education.choices)
    min_years = models.PositiveSmallIntegerField("最低工作年限（年）", default=0)
    level = models.CharField("可初定职称级别", max_length=16, choices=TitleLevel.choices)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "初定条件"
        verbose_name_plural = "初定条件"
        ordering = ["education", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["education", "level"],
                name="applications_one_rule_per_education_level",
                violation_error_message="该学历和职称级别的初定条件已存在",
            )
        ]

    def __str__(self) -> str:
        years = f"{self.min_years}年" if self.min_years else "毕业即可"
        return f"{self.get_education_display()}+{years} → {self.get_level_display()}"


auditlog.register(InitialDeterminationRule)

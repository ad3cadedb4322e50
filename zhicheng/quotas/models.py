"""职数申报 (1.22): an employer declares, for a year, its approved senior and intermediate posts
(核定岗位数), how many are filled (已聘人数) and how many it asks to fill (申报职数); HR bureaus
query the declarations of their subtree."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from zhicheng.common.scoping import scope_rule

# The post grades a declaration counts, as (field prefix, 中文).
GRADES = (("senior", "高级"), ("intermediate", "中级"))


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


@scope_rule(org_path="organization__path")
class QuotaDeclaration(models.Model):
    """One employer's 职数申报 for one year. The asked posts fit in the vacant ones:
    申报职数 ≤ 核定岗位数 − 已聘人数, for each grade (checked by the services)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="申报单位",
        on_delete=models.PROTECT,
        related_name="quota_declarations",
    )
    year = models.PositiveSmallIntegerField("年度")
    senior_approved = _count("高级核定岗位数")
    senior_filled = _count("高级已聘人数")
    senior_requested = _count("高级申报职数")
    intermediate_approved = _count("中级核定岗位数")
    intermediate_filled = _count("中级已聘人数")
    intermediate_requested = _count("中级申报职数")
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    note = models.TextField("说明", blank=True, max_length=1000)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "职数申报"
        verbose_name_plural = "职数申报"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="quotas_one_declaration_per_org_year",
                violation_error_message="该单位该年度已有职数申报",
            )
        ]
        indexes = [models.Index(fields=["year", "organization"], name="quota_year_org")]

    def __str__(self) -> str:
        name = self.organization.name if self.organization_id else ""
        return f"{name} {self.year}年度职数申报"

    def vacant(self, grade: str) -> int:
        """空岗数 of a grade: approved posts not yet filled (never below zero)."""
        return max(getattr(self, f"{grade}_approved") - getattr(self, f"{grade}_filled"), 0)


auditlog.register(QuotaDeclaration)

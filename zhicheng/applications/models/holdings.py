"""``TitleHolding`` (取得职称): what an approved 初定/认定 application leaves behind."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db import models

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.scoping import scope_rule

from .application import Application


@scope_rule(org_path="approving_organization__path", owner="person__user")
class TitleHolding(models.Model):
    """取得职称: the fact that a person holds a title — how, when, approved by whom (文号).
    Certificates are issued from these."""

    person = models.ForeignKey(
        "persons.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="title_holdings",
    )
    title = models.ForeignKey(
        "catalog.Title", verbose_name="职称", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("职称级别", max_length=16, choices=TitleLevel.choices)
    specialty = models.ForeignKey(
        "catalog.Specialty",
        verbose_name="专业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acquisition_method = models.CharField(
        "取得方式", max_length=32, choices=AcquisitionMethod.choices
    )
    approved_on = models.DateField("批准日期")
    approving_organization = models.ForeignKey(
        "orgs.Organization", verbose_name="批准机构", on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField("文号", max_length=100, blank=True)
    application = models.OneToOneField(
        Application,
        verbose_name="来源申报",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="title_holding",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "取得职称"
        verbose_name_plural = "取得职称"
        ordering = ["-approved_on", "-pk"]
        indexes = [models.Index(fields=["person", "title"], name="holding_person_title")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.title.name}（{self.get_acquisition_method_display()}）"


auditlog.register(TitleHolding)

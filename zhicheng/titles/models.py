"""``TitleHolding`` (取得职称): the fact that a person holds a title — how, when, approved or filed
by whom (文号). Certificates (1.17) are issued from these.

Holdings live in their own app because several paths grant them: the top's approval of a
初定/认定 application today, and the 评审 result filing (备案, 1.15, not built yet) next. Both
write through ``titles.services.title_holding_grant``; certificates only read them through
``titles.selectors``.

The table keeps its first name, ``applications_titleholding``: the model moved here from
``applications`` in state only (migrations ``titles.0001`` and ``applications.0009``), so no row
moved.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.list_page import ListPageQuerySet
from zhicheng.common.scoping import scope_rule

REVOKE_REASON_MAX = 200


class TitleHoldingQuerySet(ListPageQuerySet):
    def in_force(self) -> TitleHoldingQuerySet:
        """Not revoked (撤销): the holdings a certificate may be issued from."""
        return self.filter(revoked_at__isnull=True)


@scope_rule(org_path="approving_organization__path", owner="person__user")
class TitleHolding(models.Model):
    """取得职称: the fact that a person holds a title — how, when, approved by whom (文号).
    Certificates are issued from these. A revoked holding (撤销, e.g. fraud found later) stays,
    with who, when and why."""

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
        "applications.Application",
        verbose_name="来源申报",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="title_holding",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.CharField("撤销原因", max_length=REVOKE_REASON_MAX, blank=True)

    objects = TitleHoldingQuerySet.as_manager()

    class Meta:
        db_table = "applications_titleholding"
        verbose_name = "取得职称"
        verbose_name_plural = "取得职称"
        ordering = ["-approved_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "title"], name="holding_person_title"),
            # 1.17 证书发放 lists the scope's holdings newest first (ListPageQuerySet).
            models.Index(fields=["approved_on", "id"], name="holding_approved_on_id"),
        ]
        permissions = [("revoke_titleholding", "撤销取得职称")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.title.name}（{self.get_acquisition_method_display()}）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


auditlog.register(TitleHolding)

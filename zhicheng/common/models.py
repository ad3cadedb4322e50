"""Abstract model pieces shared by several apps.

``Deregistrable``: the 注销 (deregister) status and history of a record that is never deleted —
committees (1.10), issuing units (1.9), acceptance offices and review-route links (1.3–1.8).
A deregistered row keeps its status, reason, who and when; it cannot be chosen for new work.
``common.services.record_deregister`` is the one place that moves a row to 已注销 (through the
workflow kernel, ``common.workflow.transition``).

``Authored`` (创建人) and ``Timestamped`` (创建时间, 修改时间): the bookkeeping fields of the
configuration rows, declared once with their labels.
"""

from django.conf import settings
from django.db import models

from zhicheng.common.workflow import Workflow


class DeregistrationStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DEREGISTERED = "deregistered", "已注销"


# The only moves: 正常 → 已注销, and never back (the row stays as history).
DEREGISTRATION_WORKFLOW = Workflow(
    {
        DeregistrationStatus.ACTIVE: {"deregister": DeregistrationStatus.DEREGISTERED},
        DeregistrationStatus.DEREGISTERED: {},
    },
    actions={"deregister": "注销"},
)
# status → the statuses it may move to (the table above, whatever the action).
DEREGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = DEREGISTRATION_WORKFLOW.targets()

DEREGISTER_REASON_MAX = 500


class DeregistrableQuerySet(models.QuerySet):
    def active(self) -> "DeregistrableQuerySet":
        """Rows that are 正常 (not deregistered)."""
        return self.filter(status=DeregistrationStatus.ACTIVE)


class Deregistrable(models.Model):
    """Status (正常 / 已注销) and the 注销 history: reason, who, when."""

    status = models.CharField(
        "状态",
        max_length=16,
        choices=DeregistrationStatus.choices,
        default=DeregistrationStatus.ACTIVE,
    )
    deregister_reason = models.CharField("注销原因", max_length=DEREGISTER_REASON_MAX, blank=True)
    deregistered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="注销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deregistered_at = models.DateTimeField("注销时间", null=True, blank=True)

    objects = DeregistrableQuerySet.as_manager()
    workflow = DEREGISTRATION_WORKFLOW

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status == DeregistrationStatus.ACTIVE


class Authored(models.Model):
    """Who created the row (创建人); empty for rows loaded by the system (imports, demo data)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Timestamped(models.Model):
    """When the row was created (创建时间) and last changed (修改时间)."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        abstract = True

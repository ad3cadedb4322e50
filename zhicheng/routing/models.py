"""Acceptance offices (1.3) and review routes (1.4–1.8).

An ``AcceptanceOffice`` is an organization that accepts 初定/认定 applications of one title
level. A review route of one ``RouteKind`` and ``TitleLevel`` is a forest of ``RouteEdge`` rows
(superior → subordinate); an application travels from its employer up the edges to the top,
which must be an active acceptance office (初定/认定) or the organizer of an active, unexpired
committee of the matching committee level (初评会/中评会/高评会).

Deregistered rows are never deleted: status + reason + who + when stay as history.
"""

from auditlog.registry import auditlog
from django.db import models
from django.db.models import Q

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.models import Authored, Deregistrable, DeregistrationStatus, Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.orgs.models import EMPLOYER_ORG_TYPES, OrgType


class NodeType(models.TextChoices):
    """受理节点类型 / 下级节点类型: the role an organization plays in a route."""

    PROVINCE_HR = "province_hr", "省级人社部门"
    CITY_HR = "city_hr", "市级人社部门"
    COUNTY_HR = "county_hr", "县级人社部门"
    COMPETENT_DEPT = "competent_dept", "主管部门"
    EMPLOYER = "employer", "用人单位"
    OTHER = "other", "其他"


# The organization types a node type can be played by (OTHER: any).
NODE_TYPE_ORG_TYPES: dict[str, frozenset[str]] = {
    NodeType.PROVINCE_HR: frozenset({OrgType.HR_BUREAU}),
    NodeType.CITY_HR: frozenset({OrgType.HR_BUREAU}),
    NodeType.COUNTY_HR: frozenset({OrgType.HR_BUREAU}),
    NodeType.COMPETENT_DEPT: frozenset({OrgType.COMPETENT_DEPT}),
    NodeType.EMPLOYER: EMPLOYER_ORG_TYPES,
}


RecordStatus = DeregistrationStatus


class RouteKind(models.TextChoices):
    """The five review routes of guide 1.4–1.8."""

    INITIAL = "initial", "初定"
    RECOGNITION = "recognition", "认定"
    JUNIOR = "junior", "初评会"
    INTERMEDIATE = "intermediate", "中评会"
    SENIOR = "senior", "高评会"


# Acquisition method of the acceptance office at the top of an 初定/认定 route.
ROUTE_KIND_METHOD: dict[str, str] = {
    RouteKind.INITIAL: AcquisitionMethod.INITIAL,
    RouteKind.RECOGNITION: AcquisitionMethod.RECOGNITION,
}
OFFICE_METHODS = (AcquisitionMethod.INITIAL, AcquisitionMethod.RECOGNITION)

# Title levels a route kind serves: a committee route serves the levels its committee evaluates.
ROUTE_KIND_LEVELS: dict[str, tuple[str, ...]] = {
    RouteKind.INITIAL: tuple(TitleLevel.values),
    RouteKind.RECOGNITION: tuple(TitleLevel.values),
    RouteKind.JUNIOR: (TitleLevel.ASSISTANT, TitleLevel.JUNIOR),
    RouteKind.INTERMEDIATE: (TitleLevel.INTERMEDIATE,),
    RouteKind.SENIOR: (TitleLevel.SENIOR_FULL, TitleLevel.SENIOR_DEPUTY),
}


class DeregistrableRecord(Deregistrable, Authored, Timestamped):
    """Status, the 注销 history and who created it: shared by offices and edges."""

    class Meta:
        abstract = True


@scope_rule(org_path="organization__path")
class AcceptanceOffice(DeregistrableRecord):
    """职称初定/认定受理机构: accepts applications of one level and method."""

    node_type = models.CharField("受理节点类型", max_length=32, choices=NodeType.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="机构",
        on_delete=models.PROTECT,
        related_name="acceptance_offices",
    )
    level = models.CharField("职称等级", max_length=32, choices=TitleLevel.choices)
    acquisition_method = models.CharField(
        "取得方式",
        max_length=32,
        choices=[(m.value, m.label) for m in OFFICE_METHODS],
    )
    notice = models.TextField(
        "申报须知",
        blank=True,
        help_text="申报人申报前阅读。支持空行分段、以“- ”开头的列表和 **加粗**。",
    )

    class Meta:
        verbose_name = "受理机构"
        verbose_name_plural = "受理机构"
        permissions = [("deregister_acceptanceoffice", "注销受理机构")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "level", "acquisition_method"],
                condition=Q(status=RecordStatus.ACTIVE),
                name="routing_one_active_office_per_org_level_method",
                violation_error_message="该机构已是此职称等级和取得方式的受理机构",
            ),
        ]
        indexes = [models.Index(fields=["level", "acquisition_method", "status"])]

    def __str__(self) -> str:
        return (
            f"{self.organization.name}（{self.get_level_display()}"
            f" · {self.get_acquisition_method_display()}）"
        )


@scope_rule(org_path="superior__path")
class RouteEdge(DeregistrableRecord):
    """One link of a review route: ``subordinate`` reports to ``superior``.

    Scoped by the superior: an officer maintains the 下级机构 of institutions in their subtree.
    """

    kind = models.CharField("审核路径", max_length=16, choices=RouteKind.choices)
    level = models.CharField("职称等级", max_length=32, choices=TitleLevel.choices)
    superior = models.ForeignKey(
        "orgs.Organization",
        verbose_name="上级机构",
        on_delete=models.PROTECT,
        related_name="route_edges_down",
    )
    subordinate = models.ForeignKey(
        "orgs.Organization",
        verbose_name="下级机构",
        on_delete=models.PROTECT,
        related_name="route_edges_up",
    )
    node_type = models.CharField("下级节点类型", max_length=32, choices=NodeType.choices)

    class Meta:
        verbose_name = "审核路径"
        verbose_name_plural = "审核路径"
        permissions = [("deregister_routeedge", "注销审核路径下级机构")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "level", "subordinate"],
                condition=Q(status=RecordStatus.ACTIVE),
                name="routing_one_active_superior_per_subordinate",
                violation_error_message="该机构在此审核路径中已有上级机构",
            ),
            models.CheckConstraint(
                condition=~Q(superior=models.F("subordinate")),
                name="routing_edge_not_self",
                violation_error_message="上级机构和下级机构不能是同一机构",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "level", "status"]),
            models.Index(fields=["superior", "kind", "level"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.get_level_display()}："
            f"{self.superior.name} → {self.subordinate.name}"
        )


auditlog.register(AcceptanceOffice)
auditlog.register(RouteEdge)

"""Catalog: specialties (职称专业), title series and titles (职称树).

``TitleLevel`` and ``AcquisitionMethod`` are the shared vocabularies other apps import
(routing, committees, applications). Their values are part of the contract in DESIGN.md §2.
"""

from auditlog.registry import auditlog
from django.core.validators import RegexValidator
from django.db import models
from treebeard.mp_tree import MP_Node

from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule


class TitleLevel(models.TextChoices):
    """职称级别."""

    SENIOR_FULL = "senior_full", "正高级"
    SENIOR_DEPUTY = "senior_deputy", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    ASSISTANT = "assistant", "助理级"
    JUNIOR = "junior", "员级"


class AcquisitionMethod(models.TextChoices):
    """职称取得方式."""

    EVALUATION = "evaluation", "评审"
    EXAM = "exam", "考试"
    EXAM_EVALUATION = "exam_evaluation", "考评结合"
    INITIAL = "initial", "初定"
    RECOGNITION = "recognition", "认定"


# Levels from highest to lowest: the order of every title list and level dropdown.
LEVEL_ORDER: tuple[str, ...] = tuple(TitleLevel.values)

CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$", "代码只能由字母、数字、点和短横线组成，最长20位"
)


@scope_rule(org_path="owner_organization__path")
class Specialty(MP_Node, Timestamped):
    """职称专业: a node of the specialty tree (materialized path; subtree = path prefix).

    The top level (栏目大类, depth 1) ships with the system (data migration ``0002``) and cannot
    be added, deleted or re-parented from the page or the API. ``owner_organization`` is the
    bureau that added the node; ``None`` marks standard data, maintained by the province bureau.
    The scope rule therefore answers "which nodes may this user *manage*"; every authenticated
    user may *read* the whole tree (it is reference data), see ``selectors``.
    """

    code = models.CharField(
        "专业代码",
        max_length=20,
        unique=True,
        validators=[CODE_VALIDATOR],
        help_text="唯一，字母或数字，建议沿用学科专业目录代码（如 080201）",
    )
    name = models.CharField("专业学科名称", max_length=100)
    owner_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="维护机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    node_order_by = None

    class Meta:
        verbose_name = "职称专业"
        verbose_name_plural = "职称专业"
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_category(self) -> bool:
        """栏目大类: a top-level node."""
        return self.depth == 1

    @property
    def is_standard(self) -> bool:
        return self.owner_organization_id is None


@scope_rule(org_path="owner_organization__path")
class TitleSeries(models.Model):
    """职称系列 (e.g. 工程, 卫生 → 医/药/护/技). Ships with the system; not added from the page.

    A series is either a group of sub-series (卫生) or carries titles (工程, 卫生·医); titles hang
    only on series without sub-series. ``code`` is a stable mnemonic other apps and the demo
    use to find a series (``engineering``, ``health_medicine``, …).
    """

    code = models.CharField("系列代码", max_length=40, unique=True)
    name = models.CharField("系列名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级系列",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    owner_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="维护机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The 栏目大类 whose specialties an application of this series may choose (工程 → 工学…);
    # none: every specialty (a sub-series without its own uses its parent's).
    specialty_categories = models.ManyToManyField(
        "catalog.Specialty",
        verbose_name="可选专业栏目大类",
        blank=True,
        related_name="+",
        limit_choices_to={"depth": 1},
    )

    class Meta:
        verbose_name = "职称系列"
        verbose_name_plural = "职称系列"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name}·{self.name}"
        return self.name

    def category_ids(self) -> set[int]:
        """The 栏目大类 allowed for this series (its own, else its parent's); empty: all."""
        own = set(self.specialty_categories.values_list("pk", flat=True))
        if own or self.parent_id is None:
            return own
        return set(self.parent.specialty_categories.values_list("pk", flat=True))


@scope_rule(org_path="owner_organization__path")
class Title(Timestamped):
    """职称: a title of a series at one level (工程 · 副高级 · 高级工程师).

    The name is unique within its series; a series may have several titles per level (技工院校
    教师: 高级讲师 and 高级实习指导教师). ``owner_organization`` as for ``Specialty``.
    """

    series = models.ForeignKey(
        TitleSeries, verbose_name="职称系列", on_delete=models.PROTECT, related_name="titles"
    )
    level = models.CharField("职称级别", max_length=16, choices=TitleLevel.choices)
    name = models.CharField("职称名称", max_length=50)
    owner_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="维护机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "职称"
        verbose_name_plural = "职称"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "name"],
                name="catalog_title_unique_name_in_series",
                violation_error_message="同一职称系列下职称名称不能重复",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_standard(self) -> bool:
        return self.owner_organization_id is None


auditlog.register(Specialty, exclude_fields=["path", "depth", "numchild"])
auditlog.register(TitleSeries)
auditlog.register(Title)

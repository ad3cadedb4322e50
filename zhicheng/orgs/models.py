import contextlib

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from pypinyin import Style, lazy_pinyin
from treebeard.mp_tree import MP_Node

from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.validators import validate_uscc
from zhicheng.common.workflow import Workflow


class OrgType(models.TextChoices):
    HR_BUREAU = "hr_bureau", "人社部门"
    COMPETENT_DEPT = "competent_dept", "主管部门"
    EMPLOYER = "employer", "用人单位"
    COMMITTEE_ORGANIZER = "committee_organizer", "评委会组建单位"
    OTHER = "other", "其他"
    # 人事代理 / 非公职称申报点: stands in for the employer of applicants without a public one
    # (it is their employer node on a review route, and its officers review as the unit does).
    AGENCY = "agency", "人事代理/非公职称申报点"


# The organization types that can be an applicant's 用人单位 (the first node of a route).
EMPLOYER_ORG_TYPES = frozenset({OrgType.EMPLOYER, OrgType.AGENCY})


class OrgStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DEREGISTERED = "deregistered", "已注销"


def pinyin_initials(name: str) -> str:
    """``人力资源`` → ``rlzy``; letters and digits in the name are kept as they are."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()


def _validate_uscc_field(value: str) -> None:
    validate_uscc(value)


@scope_rule(org_path="path")
class Organization(MP_Node, Timestamped):
    """机构/单位: a node of the organization tree (materialized path, so subtree = path prefix)."""

    name = models.CharField("机构名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[_validate_uscc_field]
    )
    org_type = models.CharField("机构类型", max_length=32, choices=OrgType.choices)
    region_code = models.CharField(
        "行政区划代码",
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字")],
    )
    status = models.CharField(
        "状态", max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE
    )
    name_initials = models.CharField("拼音首字母", max_length=200, editable=False, db_index=True)

    node_order_by = None
    # 注销 only, never back (services.organization_deregister).
    workflow = Workflow(
        {OrgStatus.ACTIVE: {"deregister": OrgStatus.DEREGISTERED}, OrgStatus.DEREGISTERED: {}},
        actions={"deregister": "注销"},
        refused=lambda org, action, to: "该机构已注销",
    )

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        permissions = [("deregister_organization", "注销机构")]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["region_code"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Stored upper-case. A code that is wrong was already reported by the field's validator
        # (clean_fields runs first): reporting it here too gave every message twice.
        if self.uscc:
            with contextlib.suppress(ValidationError):
                self.uscc = validate_uscc(self.uscc)

    def save(self, *args, **kwargs) -> None:
        self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE


auditlog.register(Organization, exclude_fields=["name_initials", "path", "depth", "numchild"])

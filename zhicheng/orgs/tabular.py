"""机构 import and export (the tabular engine's reference module)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr

from zhicheng.common.validators import validate_uscc
from zhicheng.orgs import services
from zhicheng.orgs.listings import ORGANIZATIONS
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.tabular.engine import (
    Column,
    DraftImport,
    ImportSpec,
    listing_export,
    register_export,
    register_import,
)

KEY = "organizations"


def _region_code(text: str) -> str:
    if not re.fullmatch(r"\d{6}", text):
        raise ValidationError("行政区划代码应为6位数字")
    return text


def _parent_uscc(text: str) -> str:
    try:
        return validate_uscc(text)
    except ValidationError as exc:
        raise ValidationError("上级机构" + "；".join(exc.messages)) from None


IMPORT_COLUMNS = (
    Column("机构名称", "name", required=True, max_length=200, help="机构全称", width=36),
    Column(
        "统一社会信用代码",
        "uscc",
        required=True,
        unique=True,
        parse=validate_uscc,
        help="18位，按 GB 32100 校验校验位；不能与系统中已有机构重复",
    ),
    Column("机构类型", "org_type", required=True, choices=OrgType.choices, width=16),
    Column(
        "行政区划代码", "region_code", required=True, parse=_region_code, help="6位数字，如 320115"
    ),
    Column(
        "上级机构统一社会信用代码",
        "parent_uscc",
        required=True,
        parse=_parent_uscc,
        help="上级机构须已在系统中、在您的管辖范围内且状态正常，或在本文件中先于本行列出",
        width=28,
    ),
)


ORGANIZATION_IMPORT = DraftImport(
    draft=services.OrganizationDraft,
    check=services.organization_bulk_check,
    create=services.organization_bulk_create,
    refused_key="uscc",
)


register_import(
    ImportSpec(
        key=KEY,
        title="机构",
        permission="orgs.add_organization",
        columns=IMPORT_COLUMNS,
        validate_rows=ORGANIZATION_IMPORT.validate_rows,
        commit=ORGANIZATION_IMPORT.commit,
        instructions=(
            "上级机构可以是系统中已有的机构，也可以是本文件中排在前面的行，"
            "以便一次导入整棵下级机构树。",
        ),
    )
)


# --- Export: the 机构管理 list (``listings.ORGANIZATIONS``) + 上级机构 -------------------------------


def with_parent_name(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    parent_name = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("name")[:1]
    return qs.annotate(parent_name=Subquery(parent_name))


register_export(listing_export(ORGANIZATIONS, prepare=with_parent_name))

"""职称专业 import/export and 职称 export through the shared Excel engine."""

from __future__ import annotations

from django.db.models import Case, CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Length, Substr

from zhicheng.catalog import listings, services
from zhicheng.catalog.models import CODE_VALIDATOR, Specialty, Title
from zhicheng.tabular.engine import (
    Column,
    DraftImport,
    ImportSpec,
    listing_export,
    register_export,
    register_import,
)

SPECIALTIES = listings.SPECIALTIES.name
TITLES = listings.TITLES.name


def _code(text: str) -> str:
    code = services.normalize_code(text)
    CODE_VALIDATOR(code)
    return code


SPECIALTY_COLUMNS = (
    Column(
        "专业代码",
        "code",
        required=True,
        unique=True,
        max_length=20,
        parse=_code,
        help="唯一（不区分大小写）；字母、数字、点或短横线，建议沿用学科专业目录代码，如 080205",
    ),
    Column("专业学科名称", "name", required=True, max_length=100, width=30),
    Column(
        "上级专业代码",
        "parent_code",
        required=True,
        max_length=20,
        parse=services.normalize_code,
        help="已有专业的代码（栏目大类或其下级），或本文件中排在前面的行的专业代码",
    ),
)


SPECIALTY_IMPORT = DraftImport(
    draft=services.SpecialtyDraft,
    check=services.specialty_bulk_check,
    create=services.specialty_bulk_create,
    refused_key="code",
)


register_import(
    ImportSpec(
        key=SPECIALTIES,
        title="职称专业",
        permission="catalog.add_specialty",
        columns=SPECIALTY_COLUMNS,
        validate_rows=SPECIALTY_IMPORT.validate_rows,
        commit=SPECIALTY_IMPORT.commit,
        instructions=(
            "栏目大类随系统提供，不能导入；每一行须指定上级专业代码。",
            "上级专业可以是系统中已有的专业，也可以是本文件中排在前面的行，以便一次导入多级专业。",
            "市级人社部门只能在标准专业或本机构维护的专业下新增。",
        ),
    )
)


# --- Exports --------------------------------------------------------------------------------

OWNER_NAME = Case(
    When(owner_organization__isnull=True, then=Value("系统标准")),
    default=F("owner_organization__name"),
    output_field=CharField(),
)


def with_parent_code(qs: QuerySet[Specialty]) -> QuerySet[Specialty]:
    parent_code = Specialty.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Specialty.steplen)
    ).values("code")[:1]
    return qs.annotate(parent_code=Subquery(parent_code), owner_name=OWNER_NAME)


def with_series_label(qs: QuerySet[Title]) -> QuerySet[Title]:
    series_label = Case(
        When(series__parent__isnull=True, then=F("series__name")),
        default=Concat(F("series__parent__name"), Value("·"), F("series__name")),
        output_field=CharField(),
    )
    return qs.annotate(series_label=series_label, owner_name=OWNER_NAME)


register_export(listing_export(listings.SPECIALTIES, prepare=with_parent_code))
register_export(listing_export(listings.TITLES, prepare=with_series_label))

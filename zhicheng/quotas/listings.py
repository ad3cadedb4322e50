"""The 职数申报 list (guide 1.22), declared once: page, export and API derive from it."""

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.quotas import selectors
from zhicheng.quotas.models import QuotaDeclaration


def _counts(grade: str):
    def counts(declaration: QuotaDeclaration) -> str:
        kinds = ("approved", "filled", "requested")
        return " / ".join(str(getattr(declaration, f"{grade}_{kind}")) for kind in kinds)

    return counts


def _count_cols(grade: str, label: str) -> tuple[Col, ...]:
    """核定/已聘/申报 in one page cell, three Excel columns."""
    return (
        Col(f"{label}核定/已聘/申报", _counts(grade), export=False),
        Col(f"{label}核定岗位数", field=f"{grade}_approved", width=10, page=False),
        Col(f"{label}已聘人数", field=f"{grade}_filled", width=10, page=False),
        Col(f"{label}申报职数", field=f"{grade}_requested", width=10, page=False),
    )


QUOTA_DECLARATIONS = Listing(
    name="quota-declarations",
    title="职数申报",
    permission="quotas.view_quotadeclaration",
    selector=selectors.quota_declaration_list,
    filters=(
        Filter("name", "单位名称", max_length=200),
        Filter("year", "年度", "int", minimum=1, maximum=9999),
        Filter("organization", "单位编号", "int", arg="organization_id", page=False),
    ),
    columns=(
        Col("申报单位", "organization.name", link=True, width=36),
        Col("统一社会信用代码", "organization.uscc", width=22, page=False),
        Col("年度", "year", width=8),
        *_count_cols("senior", "高级"),
        *_count_cols("intermediate", "中级"),
        Col("联系人", "contact_name", width=12),
        Col("联系电话", "contact_phone", width=16),
        Col("说明", "note", width=30, page=False),
        Col("申报时间", "declared_at", width=20),
        Col("修改时间", "updated_at", width=20, page=False),
    ),
)

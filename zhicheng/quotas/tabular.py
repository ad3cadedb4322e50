"""职数申报 导出查询结果 through the shared Excel engine (same filters and scope as the list)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.query import query_int, query_text
from zhicheng.quotas import selectors
from zhicheng.quotas.models import QuotaDeclaration
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

KEY = "quota-declarations"

LIST_FILTERS = {"name": "单位名称", "year": "年度", "organization": "单位编号"}


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[QuotaDeclaration]:
    """The list's filters (page, API list and export share them)."""
    return selectors.quota_declaration_list(
        user=user,
        name=query_text(params, "name"),
        year=query_int(params, "year", label="年度", minimum=1, maximum=9999),
        organization_id=query_int(params, "organization", label="单位编号"),
    )


register_export(
    ExportSpec(
        key=KEY,
        title="职数申报",
        permission="quotas.view_quotadeclaration",
        columns=(
            ExportColumn("申报单位", "organization__name", width=36),
            ExportColumn("统一社会信用代码", "organization__uscc", width=22),
            ExportColumn("年度", "year", width=8),
            ExportColumn("高级核定岗位数", "senior_approved", width=10),
            ExportColumn("高级已聘人数", "senior_filled", width=10),
            ExportColumn("高级申报职数", "senior_requested", width=10),
            ExportColumn("中级核定岗位数", "intermediate_approved", width=10),
            ExportColumn("中级已聘人数", "intermediate_filled", width=10),
            ExportColumn("中级申报职数", "intermediate_requested", width=10),
            ExportColumn("联系人", "contact_name", width=12),
            ExportColumn("联系电话", "contact_phone", width=16),
            ExportColumn("说明", "note", width=30),
            ExportColumn("申报时间", "declared_at", width=20),
            ExportColumn("修改时间", "updated_at", width=20),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
    )
)

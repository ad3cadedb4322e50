"""发证单位编码 导出查询结果 through the shared Excel engine (same filters and scope as the list)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.certificates import selectors
from zhicheng.certificates.models import IssuingUnit, IssuingUnitStatus
from zhicheng.common.query import query_int, query_text
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

KEY = "issuing-units"

LIST_FILTERS = {"name": "单位名称", "code": "编码", "status": "状态"}


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[IssuingUnit]:
    """The list's filters (API list and export share them): name, code, status, organization."""
    status = query_text(params, "status")
    return selectors.issuing_unit_list(
        user=user,
        name=query_text(params, "name"),
        code=query_text(params, "code"),
        status=status if status in IssuingUnitStatus.values else "",
        organization_id=query_int(params, "organization", label="机构编号"),
    )


register_export(
    ExportSpec(
        key=KEY,
        title="发证单位编码",
        permission="certificates.view_issuingunit",
        columns=(
            ExportColumn("单位名称", "organization__name", width=36),
            ExportColumn("统一社会信用代码", "organization__uscc", width=22),
            ExportColumn("编码", "code", width=12),
            ExportColumn("状态", "status", choices=IssuingUnitStatus.choices, width=8),
            ExportColumn("注销原因", "deregister_reason", width=30),
            ExportColumn("注销人", "deregistered_by__username", width=14),
            ExportColumn("注销时间", "deregistered_at", width=20),
            ExportColumn("创建时间", "created_at", width=20),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
    )
)

"""呈报方案 导出查询结果 (1.23) through the shared Excel engine (same filters and scope as the list)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from zhicheng.accounts.models import User
from zhicheng.common.query import query_int, query_text
from zhicheng.plans import selectors
from zhicheng.plans.models import EvaluationPlan, PlanStatus
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

KEY = "plans"

LIST_FILTERS = {
    "name": "方案名称",
    "committee_name": "评委会",
    "year": "评审年度",
    "status": "状态",
    "kind": "方案类型",
}


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[EvaluationPlan]:
    """The list's filters (page, API list and export share them)."""
    status = query_text(params, "status")
    return selectors.plan_list(
        user=user,
        name=query_text(params, "name"),
        committee_name=query_text(params, "committee_name"),
        year=query_int(params, "year", label="评审年度", minimum=1, maximum=9999),
        status=status if status in PlanStatus.values else "",
        kind=query_text(params, "kind"),
    ).annotate(
        # The person's name, as the list shows it (the user name only when none is recorded).
        reviewer_name=Coalesce(NullIf("reviewed_by__real_name", Value("")), "reviewed_by__username")
    )


register_export(
    ExportSpec(
        key=KEY,
        title="呈报方案",
        permission="plans.view_evaluationplan",
        columns=(
            ExportColumn("方案名称", "name", width=36),
            ExportColumn("评委会", "committee__name", width=36),
            ExportColumn("评审年度", "year", width=10),
            ExportColumn(
                "方案类型",
                "is_special",
                choices=((False, "正常方案"), (True, "特殊方案")),
                width=10,
            ),
            ExportColumn("参评人数", "participant_count", width=10),
            ExportColumn("状态", "status", choices=PlanStatus.choices, width=10),
            ExportColumn("呈报时间", "submitted_at", width=20),
            ExportColumn("审核人", "reviewer_name", width=14),
            ExportColumn("审核时间", "reviewed_at", width=20),
            ExportColumn("审核意见", "review_opinion", width=36),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
    )
)

"""The 呈报方案 list (guide 1.23, and 1.13 / 1.14 审核), declared once: page, export and API
derive from it."""

import dataclasses

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.plans import selectors
from zhicheng.plans.models import PlanStatus

KINDS = (("normal", "正常方案"), ("special", "特殊方案"))

PLANS = Listing(
    name="plans",
    title="呈报方案",
    permission="plans.view_evaluationplan",
    selector=selectors.plan_list,
    filters=(
        Filter("name", "方案名称", max_length=200),
        Filter("committee_name", "评委会", max_length=200),
        Filter("year", "评审年度", "int", minimum=1, maximum=9999),
        Filter("status", "状态", "choice", choices=PlanStatus.choices),
        Filter("kind", "方案类型", "choice", choices=KINDS),
    ),
    columns=(
        Col("方案名称", "name", link=True, width=36),
        Col("评委会", "committee.name", width=36),
        Col("评审年度", "year", width=10),
        Col(
            "方案类型",
            "kind_display",
            "is_special",
            choices=((False, "正常方案"), (True, "特殊方案")),
            width=10,
        ),
        Col("参评人数", "participant_count", width=10),
        Col("状态", "get_status_display", "status", choices=PlanStatus.choices, width=10),
        Col("呈报时间", "submitted_at", width=20),
        Col("审核人", "reviewed_by", "reviewer_name", width=14),
        Col("审核时间", "reviewed_at", width=20),
        Col("审核意见", field="review_opinion", width=36, page=False),
    ),
)

# 1.13 / 1.14 show one kind each (their views choose the selector).
PLAN_REVIEWS = dataclasses.replace(
    PLANS, name="plan-reviews", filters=tuple(f for f in PLANS.filters if f.name != "kind")
)

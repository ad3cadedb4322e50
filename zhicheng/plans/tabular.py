"""呈报方案 导出查询结果 (1.23) through the shared Excel engine (``listings.PLANS``)."""

from __future__ import annotations

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from zhicheng.plans.listings import PLANS
from zhicheng.plans.models import EvaluationPlan
from zhicheng.tabular.engine import listing_export, register_export

KEY = PLANS.name


def with_reviewer_name(qs: QuerySet[EvaluationPlan]) -> QuerySet[EvaluationPlan]:
    """The person's name, as the list shows it (the user name only when none is recorded)."""
    return qs.annotate(
        reviewer_name=Coalesce(NullIf("reviewed_by__real_name", Value("")), "reviewed_by__username")
    )


register_export(listing_export(PLANS, prepare=with_reviewer_name))

"""待办 on the officers' home: counts of what waits for the user, each linking to the list that
shows it, with what is overdue flagged; and this year's applications of the scope by status
for a small chart. Only what the user's roles can act on is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.applications import selectors as application_selectors
from zhicheng.certificates import selectors as certificate_selectors
from zhicheng.plans import selectors as plan_selectors

CHART_SECONDS = 300  # the chart counts the whole scope: recounted at most every 5 minutes


@dataclass(frozen=True)
class TodoCard:
    key: str
    label: str
    count: int
    url: str
    overdue: int = 0
    hint: str = ""


def todo_cards(user: User) -> list[TodoCard]:
    cards: list[TodoCard] = []
    if user.has_perm("applications.review_application") and not user.is_committee:
        days = settings.ZHICHENG_REVIEW_OVERDUE_DAYS
        summary = application_selectors.application_todo_summary(user=user, overdue_days=days)
        review_list = reverse("applications:review-list")
        cards.append(
            TodoCard(
                "todo",
                "待审核申报",
                summary["todo"],
                f"{review_list}?scope=todo",
                overdue=summary["overdue"],
                hint=f"超过{days}天未处理为超期",
            )
        )
        cards.append(
            TodoCard(
                "returned", "上级退回待处理", summary["returned"], f"{review_list}?scope=returned"
            )
        )
    if user.has_perm("certificates.view_certificate"):
        cards.append(
            TodoCard(
                "to_issue",
                "待发证",
                certificate_selectors.holdings_awaiting_certificate_count(user=user),
                f"{reverse('certificates:issue-list')}?issued=0",
            )
        )
    if user.has_perm("certificates.report_certificate"):
        cards.append(
            TodoCard(
                "to_report",
                "待上报",
                certificate_selectors.certificates_awaiting_report_count(user=user),
                f"{reverse('certificates:national-report-list')}?report_status=none",
                hint="已发放、尚未报送人社部的证书",
            )
        )
    plan_counts = plan_selectors.plans_awaiting_review_counts(user=user)
    if "normal" in plan_counts:
        cards.append(
            TodoCard("plans", "待审核呈报方案", plan_counts["normal"], reverse("plans:review-list"))
        )
    if "special" in plan_counts:
        cards.append(
            TodoCard(
                "special_plans",
                "待审核呈报方案（特殊情况）",
                plan_counts["special"],
                reverse("plans:special-review-list"),
            )
        )
    return cards


def status_chart(user: User) -> dict | None:
    """This year's applications by status, for ECharts; None for who reviews none."""
    if not user.has_perm("applications.view_application") or user.is_committee:
        return None
    year = timezone.localdate().year
    key = f"home-status-chart:{user.pk}:{year}"
    rows = cache.get(key)
    if rows is None:
        rows = application_selectors.application_status_counts(user=user, year=year)
        cache.set(key, rows, CHART_SECONDS)
    return {
        "year": year,
        "labels": [label for label, _ in rows],
        "counts": [count for _, count in rows],
    }

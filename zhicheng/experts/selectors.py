"""Reads of 专家库 and of plans' panels, always scoped: HR officers see the pools (and panels)
of the committees their bureau's subtree manages; a committee account only its own pool and the
panels of its own plans; anyone else (an expert's own login included) nothing."""

from __future__ import annotations

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.experts.models import Expert, PanelDraw, PanelMember
from zhicheng.persons.selectors import filter_by_name
from zhicheng.plans import selectors as plan_selectors
from zhicheng.plans.models import EvaluationPlan

_RELATED = ("person", "account", "committee", "series", "specialty", "employer")


def expert_list(
    *,
    user: User,
    name: str = "",
    committee_name: str = "",
    specialty_name: str = "",
    level: str = "",
    status: str = "",
    employer_name: str = "",
) -> QuerySet[Expert]:
    """专家库 查询: 姓名, 评委会, 专业, 职称级别, 状态 and 工作单位; by committee, then name."""
    qs = filter_by_name(
        scoped(Expert.objects.select_related(*_RELATED), user), name, field="person__name"
    )
    if committee_name:
        qs = qs.filter(committee__name__contains=committee_name)
    if specialty_name:
        qs = qs.filter(specialty__name__contains=specialty_name)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if employer_name:
        qs = qs.filter(employer__name__contains=employer_name)
    return qs.order_by("committee__name", "person__name", "pk")


def expert_get(*, user: User, pk) -> Expert:
    return get_scoped_or_404(Expert.objects.select_related(*_RELATED), user, pk)


def panel_current_draw(*, plan: EvaluationPlan) -> PanelDraw | None:
    """The plan's latest draw (its panel), or None. ``plan`` is one the caller may read."""
    return plan.panel_draws.select_related("drawn_by").order_by("-number").first()


def panel_members(*, draw: PanelDraw | None) -> QuerySet[PanelMember]:
    if draw is None:
        return PanelMember.objects.none()
    return draw.members.select_related(
        "expert__person", "expert__employer", "expert__specialty", "requirement__specialty"
    ).order_by("order")


def panel_member_list(*, user: User, plan: int | None = None) -> QuerySet[PanelMember]:
    """评审专家组 of ``plan`` (an id) as its panel page shows it: the latest draw's members and
    alternates in draw order — nothing when the plan is none the user may read (the page's
    404), or when no plan is named. Never anything secret: the columns are the page's."""
    if plan is None or user is None or not user.has_perm("experts.view_paneldraw"):
        return PanelMember.objects.none()
    visible = plan_selectors.plan_list(user=user).filter(pk=plan).values("pk")
    draw = PanelDraw.objects.filter(plan__in=visible).order_by("-number").only("pk", "plan").first()
    return panel_members(draw=draw)


def panel_draws(*, user: User, plan: EvaluationPlan) -> QuerySet[PanelDraw]:
    """The plan's draws, newest first (the redraw history)."""
    return (
        scoped(PanelDraw.objects.select_related("drawn_by"), user)
        .filter(plan=plan)
        .order_by("-number")
    )

"""Reads of 申报批次. An officer sees the windows that apply to their area: those opened in their
organization's subtree (which they may edit) and those opened by a bureau above them (the
province's windows, shown to a city bureau). Everyone else sees none (deny by default)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_or_404, scoped
from zhicheng.orgs.selectors import organization_ancestor_ids

from .models import ApplicationWindow, WindowState

RELATED = ("series", "organization", "created_by", "closed_early_by")


def _visible(user: User) -> QuerySet[ApplicationWindow]:
    qs = ApplicationWindow.objects.all()
    own = scoped(qs, user)
    if not (user.is_authenticated and user.is_officer and user.organization_id):
        return own
    above = organization_ancestor_ids([user.organization_id])
    return qs.filter(Q(pk__in=own.values("pk")) | Q(organization_id__in=above))


def application_window_list(
    *,
    user: User,
    name: str = "",
    year: int | None = None,
    series: int | None = None,
    level: str = "",
    state: str = "",
) -> QuerySet[ApplicationWindow]:
    """申报批次 query: by 名称 (contains), 年度, 职称系列, 级别, 状态; newest first."""
    from django.utils import timezone

    qs = _visible(user).select_related(*RELATED)
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    if year:
        qs = qs.filter(year=year)
    if series:
        qs = qs.filter(Q(series_id=series) | Q(series__parent_id=series))
    if level:
        qs = qs.filter(level=level)
    now = timezone.now()
    if state == WindowState.PENDING:
        qs = qs.filter(opens_at__gt=now)
    elif state == WindowState.OPEN:
        qs = qs.filter(opens_at__lte=now, closes_at__gt=now)
    elif state == WindowState.CLOSED:
        qs = qs.filter(closes_at__lte=now)
    return qs.order_by("-year", "-opens_at", "-pk")


def application_window_get(*, user: User, pk) -> ApplicationWindow:
    return get_or_404(_visible(user).select_related(*RELATED), pk)


def application_window_editable(*, user: User, window: ApplicationWindow) -> bool:
    """Only the windows of the officer's own subtree are theirs to change."""
    return scoped(ApplicationWindow.objects.filter(pk=window.pk), user).exists()


def application_window_choices(*, user: User) -> list[tuple[str, str]]:
    """The windows an officer may filter their lists by (``[("", "全部"), (id, 名称)…]``)."""
    rows = _visible(user).order_by("-year", "-opens_at", "-pk").values_list("pk", "name")[:200]
    return [("", "全部"), *((str(pk), name) for pk, name in rows)]


def windows_for_committee(*, series_id: int, levels, year: int | None = None):
    """The windows whose participants a committee's plan may take: of the committee's series (or
    its sub-series) and of the levels it evaluates. No user scope: a committee account picks among
    the windows of what it evaluates, whoever opened them."""
    qs = ApplicationWindow.objects.filter(
        Q(series_id=series_id) | Q(series__parent_id=series_id), level__in=list(levels)
    )
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("series").order_by("-year", "-opens_at", "-pk")


def window_or_404(qs: QuerySet[ApplicationWindow], pk) -> ApplicationWindow:
    try:
        return qs.get(pk=pk)
    except (ApplicationWindow.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None

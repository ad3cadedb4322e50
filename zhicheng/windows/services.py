"""Writes of 申报批次: an HR officer opens a window for their own organization (it applies to the
employers of its subtree), corrects it, and may close it early. Times are kept to the minute.

Windows of one 申报年度, 职称系列 (a series and its sub-series count together) and 级别 whose
bureaus lie on one line of the organization tree (one above the other, or the same) may not
overlap in time: otherwise two bureaus would give one applicant two different deadlines."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.orgs.selectors import organization_ancestor_ids

from .models import ApplicationWindow, WindowState, local_minute

YEAR_MIN = 2000
FIELDS = ("name", "year", "series", "level", "opens_at", "closes_at", "note")


def to_minute(value: dt.datetime | None) -> dt.datetime | None:
    """A time to the minute (seconds dropped); a naive time is read in the bureau's time zone."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.replace(second=0, microsecond=0)


def _series_family(series: TitleSeries) -> set[int]:
    """The series, its parent and its sub-series: the windows that would compete with it."""
    ids = {series.pk}
    if series.parent_id:
        ids.add(series.parent_id)
    ids |= set(TitleSeries.objects.filter(parent_id=series.pk).values_list("pk", flat=True))
    return ids


def _check(window: ApplicationWindow) -> None:
    this_year = timezone.localdate().year
    if not (window.name or "").strip():
        raise ApplicationError("请填写批次名称")
    if not YEAR_MIN <= (window.year or 0) <= this_year + 1:
        raise ApplicationError(f"申报年度应在 {YEAR_MIN}–{this_year + 1} 之间")
    if window.series_id is None:
        raise ApplicationError("请选择职称系列")
    if window.level not in TitleLevel.values:
        raise ApplicationError("请选择职称级别")
    if window.opens_at is None or window.closes_at is None:
        raise ApplicationError("请填写开始时间和结束时间")
    if window.opens_at >= window.closes_at:
        raise ApplicationError(
            f"结束时间（{local_minute(window.closes_at)}）应晚于开始时间"
            f"（{local_minute(window.opens_at)}）"
        )
    full_clean_or_raise(window, validate_constraints=False)


def _check_overlap(window: ApplicationWindow) -> None:
    # Serialize the windows of one series: two officers saving at once cannot both pass.
    series = TitleSeries.objects.select_for_update().get(pk=window.series_id)
    org = window.organization
    line = Q(organization__path__startswith=org.path) | Q(
        organization_id__in=organization_ancestor_ids([org.pk])
    )
    other = (
        ApplicationWindow.objects.filter(
            line,
            year=window.year,
            series_id__in=_series_family(series),
            level=window.level,
            opens_at__lt=window.closes_at,
            closes_at__gt=window.opens_at,
        )
        .exclude(pk=window.pk)
        .order_by("opens_at")
        .first()
    )
    if other is not None:
        raise ApplicationError(
            f"与申报批次“{other.name}”（申报时间为 {other.period_display}）时间重叠，"
            "同一年度、职称系列、级别的申报批次不能重叠"
        )


def _assign(window: ApplicationWindow, fields: dict) -> None:
    for name in FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in ("opens_at", "closes_at"):
            value = to_minute(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(window, name, value)


def _lock(actor: User, window: ApplicationWindow | int) -> ApplicationWindow:
    pk = window.pk if isinstance(window, ApplicationWindow) else window
    locked = (
        scoped(ApplicationWindow.objects.select_related("organization", "series"), actor)
        .select_for_update(of=("self",))
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("申报批次不存在，或不是本单位及下级单位开设的批次")
    return locked


@transaction.atomic
def application_window_create(*, actor: User, **fields) -> ApplicationWindow:
    """开设申报批次 for the actor's organization: 批次名称, 申报年度, 职称系列, 职称级别, 开始时间,
    结束时间 (to the minute), 说明."""
    require_perm(actor, "windows.add_applicationwindow")
    organization = actor.organization
    if organization is None or not organization.is_active:
        raise ApplicationError("您的账号未关联有效的单位，不能开设申报批次")
    window = ApplicationWindow(organization=organization, created_by=actor, name="")
    _assign(window, fields)
    _check(window)
    if window.closes_at <= timezone.now():
        raise ApplicationError("结束时间已过，不能开设已结束的申报批次")
    _check_overlap(window)
    window.save()
    operation_record(
        actor=actor,
        operation="create",
        obj=window,
        summary=f"开设申报批次：{window}，申报时间为 {window.period_display}",
    )
    return window


@transaction.atomic
def application_window_update(
    *, actor: User, window: ApplicationWindow | int, **fields
) -> ApplicationWindow:
    """修改 a window not yet ended. Once it has opened its 年度, 系列, 级别 and 开始时间 stay (the
    applications submitted in it keep their meaning); its end may still move, not into the past."""
    require_perm(actor, "windows.change_applicationwindow")
    locked = _lock(actor, window)
    now = timezone.now()
    state = locked.state_at(now)
    if state == WindowState.CLOSED:
        raise ApplicationError(f"申报批次“{locked}”已结束，不能修改")
    before = {name: getattr(locked, name) for name in FIELDS}
    _assign(locked, fields)
    if state == WindowState.OPEN:
        for name, label in (
            ("year", "申报年度"),
            ("series", "职称系列"),
            ("level", "职称级别"),
            ("opens_at", "开始时间"),
        ):
            if getattr(locked, name) != before[name]:
                raise ApplicationError(f"申报批次已开始，不能修改{label}")
    _check(locked)
    if locked.closes_at <= now:
        raise ApplicationError("结束时间不能早于当前时间；要立即结束请使用“提前结束”")
    _check_overlap(locked)
    locked.save()
    changed = [
        str(ApplicationWindow._meta.get_field(name).verbose_name)
        for name in FIELDS
        if getattr(locked, name) != before[name]
    ]
    operation_record(
        actor=actor,
        operation="update",
        obj=locked,
        summary=f"修改申报批次：{locked}（{'、'.join(changed) or '无变化'}），"
        f"申报时间为 {locked.period_display}",
    )
    return locked


@transaction.atomic
def application_window_close(*, actor: User, window: ApplicationWindow | int) -> ApplicationWindow:
    """提前结束 an open window now: submissions from this moment are refused."""
    require_perm(actor, "windows.change_applicationwindow")
    locked = _lock(actor, window)
    now = timezone.now()
    state = locked.state_at(now)
    if state == WindowState.CLOSED:
        raise ApplicationError(f"申报批次“{locked}”已结束")
    if state == WindowState.PENDING:
        raise ApplicationError(f"申报批次“{locked}”尚未开始，请修改其时间")
    planned = locked.period_display
    locked.closes_at = now
    locked.closed_early_at = now
    locked.closed_early_by = actor
    locked.save()
    operation_record(
        actor=actor,
        operation="close",
        obj=locked,
        summary=f"提前结束申报批次：{locked}（原申报时间为 {planned}）",
    )
    return locked

"""申报批次 pages: list (query, 导出), 开设, 修改, 提前结束 (with a confirmation), 详情."""

from __future__ import annotations

from django.urls import reverse

from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

from . import selectors, services
from .forms import ApplicationWindowForm
from .listings import APPLICATION_WINDOWS
from .models import ApplicationWindow, WindowState, local_minute

MENU = "x.windows"
VIEW = "windows.view_applicationwindow"
CHANGE = "windows.change_applicationwindow"


def _changeable(window: ApplicationWindow) -> bool:
    return getattr(window, "can_change", False) and window.state != WindowState.CLOSED


def _closable(window: ApplicationWindow) -> bool:
    return getattr(window, "can_change", False) and window.state == WindowState.OPEN


def _mark(user, window: ApplicationWindow) -> ApplicationWindow:
    org = user.organization
    window.can_change = bool(org) and window.organization.path.startswith(org.path)
    return window


DETAIL = RowAction("详情", "windows:window-detail", VIEW)
EDIT = RowAction("修改", "windows:window-update", CHANGE, visible=_changeable)
CLOSE = RowAction(
    "提前结束",
    "windows:window-close",
    CHANGE,
    method="post",
    confirm="确定提前结束申报批次“{obj}”吗？结束后该批次不再受理申报提交，且不能重新开放。",
    style="danger",
    visible=_closable,
)


class ApplicationWindowListView(ListPageView):
    title = "申报批次"
    active_menu = MENU
    permission_required = VIEW
    listing = APPLICATION_WINDOWS
    row_actions = (DETAIL, EDIT, CLOSE)
    create_url_name = "windows:window-create"
    create_permission = "windows.add_applicationwindow"
    create_label = "开设申报批次"

    def build_rows(self, objects):
        objects = [_mark(self.request.user, window) for window in objects]
        return super().build_rows(objects)


def _getter(*, user, pk) -> ApplicationWindow:
    return _mark(user, selectors.application_window_get(user=user, pk=pk))


class ApplicationWindowCreateView(FormPageView):
    title = "开设申报批次"
    active_menu = MENU
    permission_required = "windows.add_applicationwindow"
    form_class = ApplicationWindowForm
    submit_label = "开设"
    success_message = "已开设申报批次“{obj}”"
    cancel_url_name = "windows:window-list"

    def perform(self, form) -> ApplicationWindow:
        return services.application_window_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("windows:window-detail", args=[obj.pk])


class ApplicationWindowUpdateView(FormPageView):
    title = "修改申报批次 - {obj}"
    active_menu = MENU
    permission_required = CHANGE
    object_getter = _getter
    form_class = ApplicationWindowForm
    success_message = "申报批次“{obj}”已保存"
    cancel_url_name = "windows:window-list"

    def get_initial(self):
        from django.utils import timezone

        window = self.object
        return {
            "name": window.name,
            "year": window.year,
            "series": window.series_id,
            "level": window.level,
            "opens_at": timezone.localtime(window.opens_at),
            "closes_at": timezone.localtime(window.closes_at),
            "note": window.note,
        }

    def perform(self, form) -> ApplicationWindow:
        return services.application_window_update(
            actor=self.request.user, window=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("windows:window-detail", args=[obj.pk])


class ApplicationWindowCloseView(ObjectActionView):
    permission_required = CHANGE
    object_getter = _getter
    success_message = "申报批次“{obj}”已提前结束"
    success_url_name = "windows:window-list"

    def perform(self, obj, *, reason: str = ""):
        return services.application_window_close(actor=self.request.user, window=obj)


class ApplicationWindowDetailView(DetailPageView):
    title = "申报批次 - {obj}"
    active_menu = MENU
    permission_required = VIEW
    object_getter = _getter
    actions = (EDIT, CLOSE)
    back_url_name = "windows:window-list"

    def get_fields(self, window: ApplicationWindow):
        return [
            ("批次名称", window.name),
            ("申报年度", window.year),
            ("职称系列", window.series.name),
            ("职称级别", window.get_level_display()),
            ("申报时间", window.period_display),
            ("状态", window.state_display),
            ("开设单位", window.organization.name),
            ("开设人", window.created_by),
            ("开设时间", window.created_at),
            ("提前结束", f"{window.closed_early_by}，{local_minute(window.closed_early_at)}")
            if window.closed_early_at
            else ("提前结束", "否"),
            ("说明", window.note),
        ]

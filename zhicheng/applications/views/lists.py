"""The officers' lists: 1.12 资格审核 (with 批量审核通过) and 1.24 审核流程查询."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View

from zhicheng.common.errors import ApplicationError
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.windows import selectors as window_selectors

from .. import selectors, services
from ..forms import title_choices
from ..listings import APPLICATION_TRACE, APPLICATIONS
from ._common import MENU_REVIEW, MENU_TRACE, VIEW, next_or


def _can_review(obj) -> bool:
    return getattr(obj, "can_review", False)


class ApplicationListBase(ListPageView):
    permission_required = VIEW
    export_key = "applications"
    default_scope = selectors.Scope.TODO

    def get_filter_form(self):
        form = super().get_filter_form()
        form.fields["scope"].initial = self.default_scope
        form.fields["title"].choices = title_choices(self.request.user)
        form.fields["window"].choices = window_selectors.application_window_choices(
            user=self.request.user
        )
        return form

    def get_filters(self, form) -> dict:
        filters = super().get_filters(form)
        filters.setdefault("scope", self.default_scope)
        return filters

    def toolbar_context(self):
        """导出 carries the scope the page shows, its default included (1.12 待我审核, 1.24 全部)."""
        context = super().toolbar_context()
        scope = self.request.GET.get("scope")
        if scope not in {value for value, _label in selectors.Scope.CHOICES}:
            context["export_query"] = self.query_string(scope=self.default_scope)
        return context

    def build_rows(self, objects):
        user = self.request.user
        objects = list(objects)
        for app in objects:
            app.id_number_display = app.person.masked_id_number
            app.can_review = services.can_review(user, app)
            app.where_now = services.where_now(app)
        return super().build_rows(objects)


class ReviewListView(ApplicationListBase):
    """1.12 职称申报人员资格审核: 待我审核 by default; batch 审核通过 of the ticked rows."""

    title = "职称申报人员资格审核"
    active_menu = MENU_REVIEW
    listing = APPLICATIONS
    template_name = "applications/review_list.html"
    table_template_name = "applications/_review_table.html"
    row_actions = (
        RowAction("审核", "applications:application-detail", VIEW, visible=_can_review),
        RowAction("详情", "applications:application-detail", VIEW),
        RowAction("查看电子档案", "applications:application-attachments", VIEW),
        RowAction("过程跟踪", "applications:application-timeline", VIEW),
    )
    empty_text = "没有符合条件的申报"


class TraceListView(ApplicationListBase):
    """1.24 职称申报审核流程查询: every application in scope; 过程跟踪 per row."""

    title = "职称申报审核流程查询"
    active_menu = MENU_TRACE
    listing = APPLICATION_TRACE
    default_scope = selectors.Scope.ALL
    row_actions = (
        RowAction("过程跟踪", "applications:application-timeline", VIEW),
        RowAction("详情", "applications:application-detail", VIEW),
    )
    empty_text = "没有符合条件的申报"


class BatchApproveView(LoginRequiredMixin, View):
    """批量审核通过: ``ids`` posted as ``<id>:<version>`` from the ticked rows."""

    http_method_names = ["post"]

    def post(self, request):
        if not request.user.has_perm("applications.review_application"):
            raise PermissionDenied("无权审核职称申报")
        items = []
        for raw in request.POST.getlist("ids"):
            pk, _, version = raw.partition(":")
            items.append((pk, version or None))
        back = next_or(request, reverse("applications:review-list"))
        try:
            outcome = services.application_batch_approve(
                actor=request.user, items=items, opinion=request.POST.get("opinion", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        if outcome.approved:
            messages.success(request, outcome.message)
        for pk, reason in outcome.refused[:10]:
            messages.warning(request, f"申报 {pk}：{reason}")
        if not outcome.approved and not outcome.refused:
            messages.info(request, "没有可审核通过的申报")
        return HttpResponseRedirect(back)

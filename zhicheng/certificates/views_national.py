"""1.18 证书报送人社部: the certificates of the scope with their report state; 勾选 → 批量上报,
全部上报, 重新上报 of a failure. Thin: ``services.national`` writes, the listing reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View

from zhicheng.certificates import selectors
from zhicheng.certificates.listings import NATIONAL_REPORTS
from zhicheng.certificates.models import NationalReportStatus
from zhicheng.certificates.services import national
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import id_or_none
from zhicheng.common.redirects import safe_target
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import ObjectActionView

VIEW = "certificates.view_certificate"

RETRY = RowAction(
    "重新上报",
    "certificates:national-report-retry",
    national.REPORT,
    method="post",
    confirm="确定重新上报证书“{obj}”吗？",
    style="warning",
    visible=lambda c: getattr(c, "report_status", None) == NationalReportStatus.FAILED,
)


class NationalReportListView(ListPageView):
    title = "证书报送人社部"
    active_menu = "1.18"
    permission_required = VIEW
    listing = NATIONAL_REPORTS
    template_name = "certificates/report_list.html"
    row_actions = (RETRY,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["may_report"] = user.has_perm(national.REPORT)
        context["unreported_count"] = selectors.certificates_awaiting_report_count(user=user)
        return context


class NationalReportView(LoginRequiredMixin, View):
    """批量上报 (the ticked certificates) or 全部上报 (``everything``)."""

    def post(self, request):
        if not request.user.has_perm(national.REPORT):
            raise PermissionDenied("无权执行此操作")
        everything = request.POST.get("everything") == "1"
        ids = [pk for pk in (id_or_none(v) for v in request.POST.getlist("certificate")) if pk]
        try:
            outcome = national.certificates_report(
                actor=request.user, certificate_ids=ids, everything=everything
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            level = messages.success if not outcome.skipped else messages.warning
            level(request, outcome.message)
        target = safe_target(
            request, request.POST.get("next", ""), reverse("certificates:national-report-list")
        )
        return HttpResponseRedirect(target)


class NationalReportRetryView(ObjectActionView):
    permission_required = national.REPORT
    object_getter = selectors.certificate_get
    success_message = "证书“{obj}”已重新提交上报"
    success_url_name = "certificates:national-report-list"

    def perform(self, obj, *, reason=""):
        national.national_report_retry(actor=self.request.user, certificate=obj)
        return obj

"""1.17 证书发放: the 取得职称 of the officer's scope with 是否发放; 勾选 → 发放证书 with the issuing
unit; 查看证书 opens the signed PDF. 1.19 证书撤销 and 1.20 证书查询: the certificates of the scope
(详情, 导出; 撤销 with a reason). And the public 证书核验 page (no login), the QR code's target."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.http import require_safe

from zhicheng.certificates import pdf, selectors, verification
from zhicheng.certificates.forms import VerifyForm
from zhicheng.certificates.listings import CERTIFICATES, HOLDINGS_TO_ISSUE
from zhicheng.certificates.models import CertificateStatus, IssuingUnitStatus
from zhicheng.certificates.services import issue_jobs, issuing
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import id_or_none
from zhicheng.common.ratelimit import rate_limited
from zhicheng.common.redirects import safe_target
from zhicheng.common.scoping import id_or_404
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, ObjectActionView

VIEW = "certificates.view_certificate"


class CertificateIssueListView(ListPageView):
    title = "证书发放"
    active_menu = "1.17"
    permission_required = VIEW
    listing = HOLDINGS_TO_ISSUE
    export_key = ""  # no export
    template_name = "certificates/issue_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issuing_units"] = selectors.issuing_unit_list(
            user=self.request.user, status=IssuingUnitStatus.ACTIVE
        )
        context["may_issue"] = self.request.user.has_perm(issuing.ISSUE)
        return context


class CertificateIssueView(LoginRequiredMixin, View):
    """发放证书 for the ticked rows (or 全部发放: every holding of the scope not issued yet),
    from the chosen issuing unit's pool: a background job, whose page shows the progress."""

    def post(self, request):
        if not request.user.has_perm(issuing.ISSUE):
            raise PermissionDenied("无权执行此操作")
        ids = [pk for pk in (id_or_none(v) for v in request.POST.getlist("holding")) if pk]
        try:
            job = issue_jobs.issue_job_create(
                actor=request.user,
                holding_ids=ids,
                everything=request.POST.get("everything") == "1",
                issuing_unit=id_or_none(request.POST.get("issuing_unit")),
                public_url=pdf.public_url(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            target = safe_target(
                request, request.POST.get("next", ""), reverse("certificates:issue-list")
            )
            return HttpResponseRedirect(target)
        messages.info(
            request, f"已提交发放 {job.total} 份证书，后台正在发放，可离开本页稍后回来查看"
        )
        return HttpResponseRedirect(reverse("certificates:issue-job", args=[job.pk]))


class IssueJobView(LoginRequiredMixin, View):
    """A 批量发放证书 job's page: the progress bar (polled with HTMX until the job is over), the
    failures with their reasons, and the officer's recent jobs."""

    def get(self, request, pk):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied("无权执行此操作")
        job = selectors.issue_job_get(user=request.user, pk=id_or_404(pk))
        context = {"job": job, "title": f"批量发放证书 #{job.pk}", "active_menu": "1.17"}
        if getattr(request, "htmx", False):
            response = render(request, "certificates/_issue_job_progress.html", context)
            if job.is_over:
                response.status_code = 286  # HTMX: stop polling
            return response
        context["recent"] = selectors.issue_job_list(user=request.user)
        return render(request, "certificates/issue_job.html", context)


class IssueJobListView(LoginRequiredMixin, View):
    """The officer's recent 批量发放证书 jobs."""

    def get(self, request):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied("无权执行此操作")
        context = {
            "title": "批量发放证书任务",
            "active_menu": "1.17",
            "recent": selectors.issue_job_list(user=request.user),
        }
        return render(request, "certificates/issue_job.html", context)


class CertificateFileView(LoginRequiredMixin, View):
    """查看证书: the signed PDF, inline, to who may see it."""

    def get(self, request, pk):
        if not (
            selectors.certificates_viewable(request.user)
            or request.user.has_perm(selectors.VIEW_EMPLOYEE)
        ):
            raise PermissionDenied("无权执行此操作")
        certificate = selectors.certificate_file_get(user=request.user, pk=id_or_404(pk))
        return pdf.certificate_response(certificate)


@functools.cache
def _verify_input_markup(name: str, width: int, invalid: bool) -> tuple[str, str]:
    """The HTML of one input of the 证书核验 form before and after its value: what
    web/_form_field.html gives a text field in its compact form (label with * when required),
    worked out once per process from the form's field."""
    field = VerifyForm.base_fields[name]
    before = format_html(
        '<div class="col-md-{}"><div class="form-field{}" data-field="{}">'
        '<label class="form-label" for="id_{}">{}{}</label><input type="text" name="{}"',
        width,
        " has-error" if invalid else "",
        name,
        name,
        mark_safe('<span class="required-mark">*</span>') if field.required else "",
        field.label,
        name,
    )
    after = format_html(
        ' maxlength="{}"{}{} id="id_{}">',
        field.max_length,
        mark_safe(" required") if field.required else "",
        mark_safe(' aria-invalid="true"') if invalid else "",
        name,
    )
    return before, after


def _verify_inputs(form: VerifyForm) -> str:
    """The form's three inputs as HTML, only the values and errors worked out per request.
    Not in the template (through the include, or a loop over plain values): this public page
    answers every QR scan, and the template's loop cost 0.11 ms of the page's 0.75 ms
    in-process."""
    parts = []
    for name, width in (("number", 4), ("name", 3), ("code", 2)):  # column widths
        field = form[name]
        errors = field.errors if form.is_bound else ()
        before, after = _verify_input_markup(name, width, bool(errors))
        value = format_html(' value="{}"', field.data) if field.data else ""
        feedback = format_html_join(
            "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in errors)
        )
        parts += [before, value, after, feedback, "</div></div>\n"]
    return mark_safe("".join(parts))


@require_safe  # served without CSRF (common/public_lookup.py): nothing may post here
def verify(request):
    """证书核验 (public): 证书编号 + 姓名 → the certificate's state, or that none matches."""
    form = VerifyForm(request.GET or None)
    context = {"form": form, "title": "职称证书核验", "checked": False}
    status = 200
    if form.is_bound and form.is_valid():
        if rate_limited(request, "verify"):
            # 429 as registration answers, the page still saying why in Chinese.
            form.add_error(None, "查询过于频繁，请稍后再试")
            status = 429
        else:
            data = form.cleaned_data
            found = selectors.certificate_verify(number=data["number"], name=data["name"])
            context.update(checked=True, certificate=found)
            if found is not None:
                state = verification.state_of(
                    found.status, found.number, found.copy, data.get("code", "")
                )
                context.update(state=state, state_display=verification.STATE_DISPLAY[state])
    context["inputs"] = _verify_inputs(form)  # after a refusal was added to the form
    return render(request, "certificates/verify.html", context, status=status)


# --- 1.19 证书撤销 / 1.20 证书查询 -------------------------------------------------------------

CERTIFICATE_DETAIL = RowAction("详情", "certificates:certificate-detail", VIEW)
VIEW_PDF = RowAction("查看证书", "certificates:certificate-file", VIEW)
REVOKE = RowAction(
    "撤销",
    "certificates:certificate-revoke",
    issuing.REVOKE,
    method="post",
    confirm="确定撤销证书“{obj}”吗？撤销后证书核验显示为已撤销，证书编号不再使用。",
    reason="撤销原因",
    style="danger",
    visible=lambda c: c.status == CertificateStatus.VALID,
)


class CertificateQueryView(ListPageView):
    title = "证书查询"
    active_menu = "1.20"
    permission_required = VIEW
    listing = CERTIFICATES
    row_actions = (CERTIFICATE_DETAIL, VIEW_PDF)


class CertificateRevokeListView(CertificateQueryView):
    title = "证书撤销"
    active_menu = "1.19"
    row_actions = (REVOKE, CERTIFICATE_DETAIL)


class CertificateDetailView(DetailPageView):
    title = "证书详情 - {obj}"
    active_menu = "1.20"
    permission_required = VIEW
    object_getter = selectors.certificate_get
    actions = (VIEW_PDF, REVOKE)
    back_url_name = "certificates:certificate-list"

    def get_fields(self, certificate):
        holding = certificate.holding
        fields = [
            ("证书编号", certificate.number.number),
            ("姓名", holding.person.name),
            ("职称", f"{holding.title.name}（{holding.get_level_display()}）"),
            ("取得方式", holding.get_acquisition_method_display()),
            ("批准日期", holding.approved_on),
            ("发证单位", certificate.issuing_unit.organization.name),
            ("发证人", certificate.issued_by),
            ("发证时间", certificate.issued_at),
            ("文件摘要（SHA-256）", certificate.sha256),
            ("状态", certificate.get_status_display()),
        ]
        if certificate.revoked_at:
            fields += [
                ("撤销原因", certificate.revoke_reason),
                ("撤销人", certificate.revoked_by),
                ("撤销时间", certificate.revoked_at),
            ]
        return fields


class CertificateRevokeView(ObjectActionView):
    permission_required = issuing.REVOKE
    object_getter = selectors.certificate_get
    success_message = "证书“{obj}”已撤销"
    success_url_name = "certificates:revoke-list"
    require_reason = True
    reason_label = "撤销原因"

    def perform(self, obj, *, reason=""):
        return issuing.certificate_revoke(actor=self.request.user, certificate=obj, reason=reason)

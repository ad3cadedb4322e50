"""评审表 pages: the generated PDF (inline, to print), the employer's scan upload (from the
application's detail) and the scan itself. Thin: selectors read (scoped), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.security import protect_inline_file

from . import pdf, selectors, services


def review_form_response(*, user, application) -> HttpResponse:
    """The 评审表 PDF, inline (the browser previews and prints it)."""
    body = pdf.render(selectors.review_form_sheet(user=user, application=application))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="review-form-{application.pk}.pdf"; '
        f"filename*=UTF-8''%E8%AF%84%E5%AE%A1%E8%A1%A8-{application.pk}.pdf"
    )
    return protect_inline_file(response)


class ReviewFormPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        app = selectors.review_form_get(user=request.user, pk=pk)
        return review_form_response(user=request.user, application=app)


class ReviewFormScanFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        app = selectors.review_form_get(user=request.user, pk=pk)
        scan = selectors.review_form_scan(application=app)
        if scan is None:
            raise Http404("尚未上传评审表扫描件")
        return attachment_response(scan)


class ReviewFormScanUploadView(LoginRequiredMixin, View):
    """上传评审表扫描件 from the detail page's 评审表 card; back to the detail with a message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        app = selectors.review_form_get(user=request.user, pk=pk)
        try:
            services.review_form_scan_upload(
                actor=request.user, application=app, upload=request.FILES.get("file")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "评审表扫描件已上传")
        return HttpResponseRedirect(
            reverse("applications:application-detail", args=[app.pk]) + "#review-form"
        )

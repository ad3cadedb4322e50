"""One application's pages: 详情 (with the review card), 过程跟踪, 电子档案 and the applicant's
提交 / 重新提交 / 撤回."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhicheng.achievements import selectors as achievement_selectors
from zhicheng.certificates import selectors as certificate_selectors
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.timeline import merged_timeline
from zhicheng.filings import selectors as filing_selectors
from zhicheng.persons.services import id_number_reveal
from zhicheng.plans import selectors as plan_selectors
from zhicheng.units import selectors as unit_selectors
from zhicheng.web.views_pages import add_service_error

from .. import selectors, services
from ..forms import AttachmentForm, ReviewForm
from ..models import Application, ApplicationStatus, ReturnReason, ReviewAction
from ._common import MENU_REVIEW, MENU_TRACE, VIEW, can_open, next_or


def full_timeline(app: Application) -> list:
    """过程跟踪: the review steps, then the 呈报方案 and the certificate, in time order."""
    return merged_timeline(
        selectors.application_timeline(application=app),
        plan_selectors.application_plan_events(application=app),
        certificate_selectors.application_certificate_events(application=app),
        filing_selectors.application_filing_events(application=app),
    )


class ApplicationPageMixin(LoginRequiredMixin):
    application: Application

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_open(request.user):
            raise PermissionDenied("无权访问职称申报")
        self.application = selectors.application_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def active_menu(self) -> str:
        return "" if self.request.user.is_applicant else MENU_REVIEW

    def base_context(self) -> dict:
        app = self.application
        user = self.request.user
        return {
            "app": app,
            "active_menu": self.active_menu(),
            "id_number": id_number_reveal(viewer=user, person=app.person),
            "where_now": services.where_now(app),
            "route": selectors.route_organizations(app),
            "is_owner": app.applicant_id == user.pk,
            "hide_officers": user.is_applicant,
        }


class ApplicationDetailView(ApplicationPageMixin, TemplateView):
    """详情: the whole application; the review card when it is the user's turn; the
    applicant's buttons (编辑 / 提交 / 撤回 / 重新提交)."""

    template_name = "applications/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app = self.application
        user = self.request.user
        problem = services.reviewer_problem(user, app) if user.has_perm(VIEW) else "-"
        base = self.base_context()
        context.update(
            base,
            title=f"申报详情 - {app.person.name}",
            certificate=certificate_selectors.certificate_for_application(
                user=user, application=app
            ),
            attachments=selectors.attachment_list(application=app),
            experiences=app.work_experiences.all(),
            material=_material(app, is_owner=base["is_owner"]),
            timeline=full_timeline(app),
            can_review=not problem,
            # 单位内部公示 (units): the unit learns before it decides why 审核通过 would fail.
            unit_publicity_problem=unit_selectors.unit_publicity_problem(app)
            if not problem and app.at_employer
            else "",
            review_form=kwargs.get("review_form")
            or ReviewForm(
                initial={"version": app.version, "decision": ReviewForm.APPROVE},
                user=user,
                allow_supplement=app.returned_from_id is not None,
            ),
            return_reasons=ReturnReason.choices,
            next_step=_next_step(app, base["route"]),
            can_withdraw=app.applicant_id == user.pk
            and app.status
            in (
                ApplicationStatus.DRAFT,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.RETURNED,
            ),
        )
        return context


def _material(app: Application, *, is_owner: bool) -> dict:
    """个人业绩 ticked into the application and its 申报材料清单 with ticks (issue 14)."""
    return {
        "ticked": achievement_selectors.application_achievements(application=app),
        "check_rows": achievement_selectors.material_check(app),
        "can_tick": is_owner and app.is_editable,
        "can_open": is_owner or app.status != ApplicationStatus.DRAFT,
    }


def _next_step(app: Application, route) -> str:
    """上级审核单位或评委会: where 审核通过 sends the application (or that it takes effect)."""
    if app.status != ApplicationStatus.UNDER_REVIEW or not route:
        return ""
    if app.at_top:
        return "申报生效" + ("（取得评审资格）" if app.is_evaluation else "（可在后续发放证书）")
    following = route[min(app.route_position + 1, len(route) - 1)]
    if app.is_evaluation and app.route_position + 2 == app.route_length and app.committee_id:
        return f"{app.committee.name}（{following.name}）"
    return following.name


class ApplicationReviewView(ApplicationDetailView):
    """审核通过 / 退回 / 退回补充材料 from the detail page's review card; a refusal re-renders
    the page with the message next to the opinion typed."""

    http_method_names = ["post"]

    def post(self, request, pk):
        app = self.application
        form = ReviewForm(
            request.POST, user=request.user, allow_supplement=app.returned_from_id is not None
        )
        if not form.is_valid():
            messages.error(request, "审核信息有误，请重试")
            return HttpResponseRedirect(reverse("applications:application-detail", args=[pk]))
        data = form.cleaned_data
        decision, version = data["decision"], data.get("version")
        try:
            if decision == ReviewForm.APPROVE:
                outcome = services.application_approve(
                    actor=request.user,
                    application=app,
                    opinion=data["opinion"],
                    expected_version=version,
                )
                messages.success(request, outcome.message)
            else:
                service = (
                    services.application_return
                    if decision == ReviewForm.RETURN
                    else services.application_return_for_supplement
                )
                moved = service(
                    actor=request.user,
                    application=app,
                    opinion=data["opinion"],
                    reasons=data["reasons"],
                    expected_version=version,
                    modules=data["modules"],
                    deadline=data.get("deadline"),
                    deadline_workdays=data.get("deadline_workdays"),
                )
                action = (
                    ReviewAction.RETURN_FOR_SUPPLEMENT
                    if decision == ReviewForm.SUPPLEMENT
                    else ReviewAction.RETURN
                )
                messages.success(request, services.returned_message(moved, action))
        except ApplicationError as exc:
            self.application = selectors.application_get(user=request.user, pk=pk)
            if services.can_review(request.user, self.application):
                add_service_error(form, exc)  # next to the opinion typed
                return self.render_to_response(self.get_context_data(review_form=form))
            messages.error(request, exc.message)  # no longer this user's turn
            return self.render_to_response(self.get_context_data())
        return HttpResponseRedirect(next_or(request, reverse("applications:review-list")))


class TimelineView(ApplicationPageMixin, TemplateView):
    """1.24 过程跟踪: every step, and where the application is now."""

    template_name = "applications/timeline.html"

    def active_menu(self) -> str:
        return "" if self.request.user.is_applicant else MENU_TRACE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            self.base_context(),
            title=f"过程跟踪 - {self.application.person.name}",
            timeline=full_timeline(self.application),
        )
        return context


class AttachmentsView(ApplicationPageMixin, TemplateView):
    """查看电子档案 (inline previews); the applicant uploads and deletes while editable."""

    template_name = "applications/attachments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app = self.application
        context.update(
            self.base_context(),
            title=f"电子档案 - {app.person.name}",
            attachments=selectors.attachment_list(application=app),
            # 申报材料清单 with ticks, shown while the applicant uploads (issue 14).
            check_rows=achievement_selectors.material_check(app),
            form=kwargs.get("form") or AttachmentForm(user=self.request.user),
            can_upload=app.applicant_id == self.request.user.pk and app.is_editable,
        )
        return context

    def post(self, request, pk):
        form = AttachmentForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                attachment = services.attachment_add(
                    actor=request.user,
                    application=self.application,
                    category=form.cleaned_data["category"],
                    upload=form.cleaned_data["file"],
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已上传：{attachment}")
                return HttpResponseRedirect(
                    reverse("applications:application-attachments", args=[pk])
                )
        return self.render_to_response(self.get_context_data(form=form))


class AttachmentFileView(LoginRequiredMixin, View):
    """The file itself, inline, only after the scope check (404 otherwise)."""

    def get(self, request, pk):
        if not can_open(request.user):
            raise PermissionDenied("无权访问职称申报")
        return attachment_response(selectors.attachment_get(user=request.user, pk=pk))


class AttachmentDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        back = reverse("applications:application-attachments", args=[attachment.application_id])
        try:
            services.attachment_delete(actor=request.user, attachment=attachment)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已删除：{attachment}")
        return HttpResponseRedirect(back)


class ApplicantActionView(ApplicationPageMixin, View):
    """提交 / 重新提交 / 撤回 (POST, with the version shown on the page)."""

    http_method_names = ["post"]
    actions = {
        "submit": (services.application_submit, "申报已提交，送“{where}”审核"),
        "resubmit": (services.application_resubmit, "申报已重新提交，送“{where}”审核"),
        "withdraw": (services.application_withdraw, "申报已撤回"),
    }

    def post(self, request, pk, action):
        service, message = self.actions[action]
        version = request.POST.get("version")
        back = next_or(request, reverse("applications:application-detail", args=[pk]))
        try:
            app = service(
                actor=request.user,
                application=self.application,
                expected_version=int(version) if version and version.isdigit() else None,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        where = app.current_organization.name if app.current_organization_id else ""
        messages.success(request, message.format(where=where))
        return HttpResponseRedirect(back)

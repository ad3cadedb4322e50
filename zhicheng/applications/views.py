"""Pages of 职称申报 (1.12 资格审核, 1.24 审核流程查询) and of the applicant's side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhicheng.catalog.models import AcquisitionMethod, Title, TitleSeries
from zhicheng.common.errors import ApplicationError
from zhicheng.web.views_list import Column, ListPageView, RowAction
from zhicheng.web.views_pages import add_service_error

from . import selectors, services
from .files import attachment_response
from .forms import (
    ApplicationForm,
    AttachmentForm,
    ReviewFilterForm,
    ReviewForm,
    TraceFilterForm,
    WorkExperienceFormSet,
)
from .models import Application, ApplicationStatus, ReturnReason

MENU_REVIEW = "1.12"
MENU_TRACE = "1.24"
VIEW = "applications.view_application"
APPLY = "applications.apply_application"


def _can_open(user) -> bool:
    return user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(APPLY))


def _next_or(request, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- 1.12 / 1.24 lists --------------------------------------------------------------------------


def _can_review(obj) -> bool:
    return getattr(obj, "can_review", False)


class ApplicationListBase(ListPageView):
    permission_required = VIEW
    selector = selectors.application_list
    export_key = "applications"
    default_scope = selectors.Scope.TODO

    def get_filters(self, form) -> dict:
        filters = super().get_filters(form)
        filters.setdefault("scope", self.default_scope)
        return filters

    def build_rows(self, objects):
        user = self.request.user
        objects = list(objects)
        for app in objects:
            app.id_number_display = app.person.id_number_for(user)
            app.can_review = services.can_review(user, app)
            app.where_now = services.where_now(app)
        return super().build_rows(objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["count_cap"] = selectors.COUNT_CAP
        return context


class ReviewListView(ApplicationListBase):
    """1.12 职称申报人员资格审核: 待我审核 by default; batch 审核通过 of the ticked rows."""

    title = "职称申报人员资格审核"
    active_menu = MENU_REVIEW
    filter_form_class = ReviewFilterForm
    template_name = "applications/review_list.html"
    table_template_name = "applications/_review_table.html"
    columns = (
        Column("姓名", "person.name", link=True),
        Column("身份证号", "id_number_display"),
        Column("年度", "year"),
        Column("取得方式", "get_acquisition_method_display"),
        Column("申报职称", "title.name"),
        Column("级别", "get_level_display"),
        Column("用人单位", "employer.name"),
        Column("状态", template="applications/_status_cell.html"),
        Column("提交时间", "submitted_at"),
    )
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
    filter_form_class = TraceFilterForm
    default_scope = selectors.Scope.ALL
    columns = (
        Column("姓名", "person.name"),
        Column("身份证号", "id_number_display"),
        Column("年度", "year"),
        Column("取得方式", "get_acquisition_method_display"),
        Column("申报职称", "title.name"),
        Column("用人单位", "employer.name"),
        Column("状态", template="applications/_status_cell.html"),
        Column("当前所在", "where_now"),
    )
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
        back = _next_or(request, reverse("applications:review-list"))
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


# --- one application ----------------------------------------------------------------------------


class ApplicationPageMixin(LoginRequiredMixin):
    application: Application

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not _can_open(request.user):
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
            "id_number": app.person.id_number_for(user),
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
            attachments=selectors.attachment_list(application=app),
            experiences=app.work_experiences.all(),
            timeline=selectors.application_timeline(application=app),
            can_review=not problem,
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
                )
                where = (
                    moved.current_organization.name if moved.current_organization_id else "申报人"
                )
                label = "退回补充材料" if decision == ReviewForm.SUPPLEMENT else "已退回"
                messages.success(request, f"{label}：已退回至“{where}”")
        except ApplicationError as exc:
            self.application = selectors.application_get(user=request.user, pk=pk)
            if services.can_review(request.user, self.application):
                add_service_error(form, exc)  # next to the opinion typed
                return self.render_to_response(self.get_context_data(review_form=form))
            messages.error(request, exc.message)  # no longer this user's turn
            return self.render_to_response(self.get_context_data())
        return HttpResponseRedirect(_next_or(request, reverse("applications:review-list")))


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
            timeline=selectors.application_timeline(application=self.application),
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
        if not _can_open(request.user):
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
        back = _next_or(request, reverse("applications:application-detail", args=[pk]))
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


# --- the applicant's form -------------------------------------------------------------------


class ApplicationFormView(LoginRequiredMixin, TemplateView):
    """新建申报 / 编辑申报 (a draft, or a returned application before resubmitting)."""

    template_name = "applications/application_form.html"
    application: Application | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(APPLY):
            raise PermissionDenied("只有申报人可以填写职称申报")
        if "pk" in kwargs:
            self.application = selectors.application_get(user=request.user, pk=kwargs["pk"])
            if self.application.applicant_id != request.user.pk:
                raise PermissionDenied("只能修改本人的申报")
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> dict:
        app = self.application
        if app is None:
            from zhicheng.persons.selectors import person_for_user

            person = person_for_user(self.request.user)
            return {
                "acquisition_method": AcquisitionMethod.EVALUATION,
                "employer": person.organization if person and person.organization_id else None,
            }
        return {
            "acquisition_method": app.acquisition_method,
            "series": app.title.series,
            "title": app.title,
            "specialty": app.specialty_id,
            "employer": app.employer,
            "committee": app.committee,
            "notice_acknowledged": app.notice_acknowledged_at is not None,
            "integrity_pledged": app.integrity_pledged_at is not None,
            "version": app.version,
            **{name: getattr(app, name) for name in services.DATA_FIELDS},
        }

    def experience_initial(self) -> list[dict]:
        if self.application is None:
            return []
        return [
            {
                "start_date": e.start_date,
                "end_date": e.end_date,
                "organization_name": e.organization_name,
                "position": e.position,
                "description": e.description,
            }
            for e in self.application.work_experiences.all()
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or ApplicationForm(initial=self.initial(), user=self.request.user)
        formset = kwargs.get("formset") or WorkExperienceFormSet(
            initial=self.experience_initial(), prefix="work"
        )
        context.update(
            title="编辑申报" if self.application else "新建职称申报",
            app=self.application,
            form=form,
            formset=formset,
            options=_options_context(form),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ApplicationForm(request.POST, user=request.user)
        formset = WorkExperienceFormSet(request.POST, prefix="work")
        if form.is_valid() and formset.is_valid():
            rows = [r for r in (f.row() for f in formset.forms if f.cleaned_data) if r]
            kwargs_ = form.service_kwargs()
            try:
                if self.application is None:
                    app = services.application_create(
                        actor=request.user, work_experiences=rows, **kwargs_
                    )
                    messages.success(request, "申报已保存为草稿。请上传电子档案，然后提交。")
                    return HttpResponseRedirect(
                        reverse("applications:application-attachments", args=[app.pk])
                    )
                app = services.application_update(
                    actor=request.user,
                    application=self.application,
                    expected_version=form.cleaned_data.get("version"),
                    work_experiences=rows,
                    **kwargs_,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "申报已保存")
                return HttpResponseRedirect(
                    reverse("applications:application-detail", args=[app.pk])
                )
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


def _form_value(form: ApplicationForm, name: str):
    if form.is_bound:
        return form.data.get(name) or None
    value = form.initial.get(name)
    return getattr(value, "pk", value)


def _options_context(form: ApplicationForm) -> dict:
    """The 受理机构 (with its 申报须知) or the eligible 评委会 for the choices so far."""
    params = {
        "acquisition_method": _form_value(form, "acquisition_method") or "",
        "title": _form_value(form, "title"),
        "specialty": _form_value(form, "specialty"),
        "employer": _form_value(form, "employer"),
    }
    options = selectors.application_options(params)
    return {
        **options,
        "method": params["acquisition_method"],
        "is_evaluation": params["acquisition_method"] == AcquisitionMethod.EVALUATION,
        "chosen_committee": str(_form_value(form, "committee") or ""),
        "acknowledged": bool(_form_value(form, "notice_acknowledged")),
        "employer": params["employer"],
        "ready": bool(params["title"] and (params["specialty"] or params["employer"])),
    }


class FormOptionsView(LoginRequiredMixin, View):
    """HTMX: the 受理机构/评委会 section for the choices made so far."""

    def get(self, request):
        if not request.user.has_perm(APPLY):
            raise PermissionDenied("只有申报人可以填写职称申报")
        form = ApplicationForm(request.GET, user=request.user)
        return render(request, "applications/_options.html", {"options": _options_context(form)})


class FormTitlesView(LoginRequiredMixin, View):
    """HTMX: the 职称 options of a 职称系列."""

    def get(self, request):
        series = TitleSeries.objects.filter(pk=_int(request.GET.get("series"))).first()
        titles = Title.objects.filter(series=series).order_by("pk") if series else []
        return render(request, "applications/_title_options.html", {"titles": titles})


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**63 - 1 else None

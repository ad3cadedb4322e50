"""用人单位 pages: 单位注册 (public), 单位注册审核 (主管单位 and above), 单位内部公示 (the unit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.ratelimit import REGISTER_TOO_MANY, rate_limited
from zhicheng.units import selectors, services, sheets
from zhicheng.units.forms import PublicityForm, PublicityResultForm, UnitRegisterForm
from zhicheng.units.listings import UNIT_REGISTRATIONS
from zhicheng.units.models import STANDARD_RECOMMENDATIONS, RegistrationStatus
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, ObjectActionView

REVIEW = "units.review_unitregistration"
PUBLICIZE = "units.add_unitpublicity"
MENU_REVIEW = "units.registrations"
MENU_PUBLICITY = "units.publicity"


class UnitRegisterView(FormView):
    """单位注册 (public). Attempts per client address are limited like 申报人注册."""

    template_name = "units/register.html"
    form_class = UnitRegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("web:home")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if rate_limited(request, "register"):
            form = self.get_form()
            form.add_error(None, REGISTER_TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            reg = services.unit_register(
                uscc=data["uscc"],
                name=data["name"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                competent=data["competent"],
                password=data["password1"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"注册已提交，等待主管单位“{reg.competent.name}”审核。"
            "审核通过后请用统一社会信用代码和密码登录。",
        )
        return redirect("accounts:login")


# --- 单位注册审核 -------------------------------------------------------------------------------

DETAIL = RowAction("详情", "units:registration-detail", REVIEW)
PENDING = lambda reg: reg.status == RegistrationStatus.PENDING  # noqa: E731
APPROVE = RowAction(
    "审核通过",
    "units:registration-approve",
    REVIEW,
    method="post",
    confirm="确认通过“{obj}”的注册？",
    style="success",
    visible=PENDING,
)
REFUSE = RowAction(
    "审核不通过",
    "units:registration-refuse",
    REVIEW,
    method="post",
    confirm="确认不通过“{obj}”的注册？",
    reason="不通过的原因",
    style="danger",
    visible=PENDING,
)
RESET = RowAction(
    "重置单位账号密码",
    "units:registration-reset-password",
    REVIEW,
    method="post",
    confirm="确认重置“{obj}”的单位账号密码？",
    style="secondary",
    visible=lambda reg: reg.status == RegistrationStatus.APPROVED,
)


class UnitRegistrationListView(ListPageView):
    title = "单位注册审核"
    active_menu = MENU_REVIEW
    permission_required = "units.view_unitregistration"
    listing = UNIT_REGISTRATIONS
    row_actions = (DETAIL, APPROVE, REFUSE)


class UnitRegistrationDetailView(DetailPageView):
    title = "单位注册 - {obj}"
    active_menu = MENU_REVIEW
    permission_required = "units.view_unitregistration"
    object_getter = selectors.unit_registration_get
    actions = (APPROVE, REFUSE, RESET)
    back_url_name = "units:registration-list"

    def get_fields(self, reg):
        return [
            ("单位名称", reg.name),
            ("统一社会信用代码（登录用户名）", reg.uscc),
            ("主管单位", reg.competent.name),
            ("联系人", reg.contact_name),
            ("联系电话", reg.contact_phone),
            ("状态", reg.get_status_display()),
            ("审核意见", reg.reason),
            ("审核人", reg.decided_by or ""),
            ("审核时间", reg.decided_at),
            ("注册时间", reg.created_at),
        ]


class _RegistrationAction(ObjectActionView):
    active_menu = MENU_REVIEW
    permission_required = REVIEW
    object_getter = selectors.unit_registration_get
    success_url_name = "units:registration-list"


class UnitRegistrationApproveView(_RegistrationAction):
    success_message = "已通过“{obj}”的注册，单位账号已启用"

    def perform(self, obj, *, reason: str = ""):
        return services.unit_registration_approve(
            actor=self.request.user, registration=obj, opinion=reason
        )


class UnitRegistrationRefuseView(_RegistrationAction):
    require_reason = True
    reason_label = "不通过的原因"
    success_message = "已退回“{obj}”的注册"

    def perform(self, obj, *, reason: str = ""):
        return services.unit_registration_refuse(
            actor=self.request.user, registration=obj, reason=reason
        )


class UnitRegistrationResetPasswordView(_RegistrationAction):
    def perform(self, obj, *, reason: str = ""):
        password = services.unit_account_password_reset(
            actor=self.request.user, account=obj.account_id
        )
        messages.success(
            self.request,
            f"单位账号 {obj.account.username} 的新密码：{password}（仅显示一次，首次登录须修改）",
        )
        return self.redirect_back()


# --- 单位内部公示 -------------------------------------------------------------------------------


def _publicity_page(request, *, form=None, result_forms=None, status=200):
    user = request.user
    candidates = list(selectors.publicity_candidates(user=user))
    today = workdays.today()
    publicities = list(selectors.unit_publicity_list(user=user)[:50])
    result_forms = result_forms or {}
    rows = [
        {
            "publicity": p,
            "state": p.state(today),
            "can_upload": p.ended(today) and not p.has_result,
            "form": result_forms.get(p.pk) or PublicityResultForm(user=user, prefix=f"r{p.pk}"),
        }
        for p in publicities
    ]
    return render(
        request,
        "units/publicity.html",
        {
            "title": "单位内部公示",
            "active_menu": MENU_PUBLICITY,
            "candidates": [
                (a, selectors.unit_publicity_problem(a, today=today)) for a in candidates
            ],
            "form": form or PublicityForm(user=user, candidates=candidates),
            "rows": rows,
            "recommendations": STANDARD_RECOMMENDATIONS,
            "min_workdays": services.PUBLICITY_MIN_WORKDAYS,
        },
        status=status,
    )


@login_required
@permission_required("units.view_unitpublicity", raise_exception=True)
def publicity_page(request):
    return _publicity_page(request)


@login_required
@permission_required(PUBLICIZE, raise_exception=True)
@require_POST
def publicity_create(request):
    candidates = list(selectors.publicity_candidates(user=request.user))
    form = PublicityForm(request.POST, user=request.user, candidates=candidates)
    if form.is_valid():
        try:
            services.unit_publicity_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "单位内部公示已登记，期满后请上传盖章的公示结果")
            return redirect("units:publicity")
    return _publicity_page(request, form=form, status=400)


@login_required
@permission_required(PUBLICIZE, raise_exception=True)
@require_POST
def publicity_result(request, pk: int):
    publicity = selectors.unit_publicity_get(user=request.user, pk=pk)
    form = PublicityResultForm(request.POST, request.FILES, user=request.user, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.unit_publicity_result_upload(
                actor=request.user,
                publicity=publicity,
                upload=form.cleaned_data["file"],
                recommendation=form.cleaned_data["recommendation"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "公示结果已上传，可以推荐（审核通过）公示的申报")
            return redirect("units:publicity")
    return _publicity_page(request, result_forms={publicity.pk: form}, status=400)


@login_required
@permission_required("units.view_unitpublicity", raise_exception=True)
def publicity_scan(request, pk: int):
    publicity = selectors.unit_publicity_get(user=request.user, pk=pk)
    if not publicity.has_result:
        messages.error(request, "尚未上传公示结果")
        return redirect("units:publicity")
    return attachment_response(publicity)


@login_required
@permission_required("units.view_unitpublicity", raise_exception=True)
def publicity_sheet_pdf(request):
    raw = request.GET.get("publicity") or ""
    publicity = int(raw) if raw.isdigit() and len(raw) < 10 else None
    content = sheets.publicity_sheet_pdf(user=request.user, publicity=publicity)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="unit-publicity-sheet.pdf"'
    return response

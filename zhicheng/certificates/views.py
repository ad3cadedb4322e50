"""1.9 发证单位编码配置: list (query, 导出查询结果), 新增, 编辑, 详情, 注销 with a reason.
1.16 证书编号生成: the 证书编号库 (query, 导出查询结果) and 生成证书编号."""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from zhicheng.certificates import selectors, services
from zhicheng.certificates.forms import (
    CertificateNumberGenerateForm,
    IssuingUnitCreateForm,
    IssuingUnitSealForm,
    IssuingUnitUpdateForm,
)
from zhicheng.certificates.listings import CERTIFICATE_NUMBERS, ISSUING_UNITS
from zhicheng.certificates.models import CertificateNumberBatch, IssuingUnit
from zhicheng.common.security import protect_inline_file
from zhicheng.web.views_list import BoundAction, ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU = "1.9"

DETAIL = RowAction("详情", "certificates:issuing-unit-detail", "certificates.view_issuingunit")
EDIT = RowAction(
    "编辑",
    "certificates:issuing-unit-update",
    "certificates.change_issuingunit",
    visible=lambda unit: unit.is_active,
)
SEAL = RowAction(
    "印章",
    "certificates:issuing-unit-seal",
    "certificates.change_issuingunit",
    visible=lambda unit: unit.is_active,
)
SEAL_REMOVE = RowAction(
    "删除印章",
    "certificates:issuing-unit-seal-remove",
    "certificates.change_issuingunit",
    method="post",
    confirm="确定删除发证单位“{obj}”上传的印章吗？删除后新发放的证书使用按单位名称绘制的默认印章。",
    style="danger",
)
DEREGISTER = RowAction(
    "注销",
    "certificates:issuing-unit-deregister",
    "certificates.deregister_issuingunit",
    method="post",
    confirm="确定注销发证单位“{obj}”吗？注销后该编码不能再用于生成证书编号，且不再复用。",
    reason="注销原因",
    style="danger",
    visible=lambda unit: unit.is_active,
)


class IssuingUnitListView(ListPageView):
    title = "发证单位编码配置"
    active_menu = MENU
    permission_required = "certificates.view_issuingunit"
    listing = ISSUING_UNITS
    row_actions = (DETAIL, EDIT, DEREGISTER)
    create_url_name = "certificates:issuing-unit-create"
    create_permission = "certificates.add_issuingunit"


class IssuingUnitCreateView(FormPageView):
    title = "新增发证单位编码"
    active_menu = MENU
    permission_required = "certificates.add_issuingunit"
    form_class = IssuingUnitCreateForm
    success_message = "发证单位“{obj}”已新增"
    cancel_url_name = "certificates:issuing-unit-list"
    success_url_name = "certificates:issuing-unit-list"

    def perform(self, form):
        return services.issuing_unit_create(actor=self.request.user, **form.cleaned_data)


class IssuingUnitUpdateView(FormPageView):
    title = "编辑发证单位编码 - {obj}"
    active_menu = MENU
    permission_required = "certificates.change_issuingunit"
    object_getter = selectors.issuing_unit_get
    form_class = IssuingUnitUpdateForm
    success_message = "发证单位“{obj}”已保存"
    cancel_url_name = "certificates:issuing-unit-list"

    def get_initial(self):
        return {"code": self.object.code}

    def perform(self, form):
        return services.issuing_unit_update(
            actor=self.request.user, issuing_unit=self.object, code=form.cleaned_data["code"]
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("certificates:issuing-unit-detail", args=[obj.pk])


class IssuingUnitDetailView(DetailPageView):
    title = "发证单位详情 - {obj}"
    active_menu = MENU
    permission_required = "certificates.view_issuingunit"
    object_getter = selectors.issuing_unit_get
    actions = (EDIT, SEAL, DEREGISTER)
    back_url_name = "certificates:issuing-unit-list"

    def get_fields(self, unit: IssuingUnit):
        fields = [
            ("单位名称", unit.organization.name),
            ("统一社会信用代码", unit.organization.uscc),
            ("行政区划代码", unit.organization.region_code),
            ("编码", unit.code),
            ("状态", unit.get_status_display()),
            ("印章", "已上传" if unit.seal else "未上传（使用按单位名称绘制的默认印章）"),
            ("创建人", unit.created_by or ""),
            ("创建时间", unit.created_at),
        ]
        if not unit.is_active:
            fields += [
                ("注销原因", unit.deregister_reason),
                ("注销人", unit.deregistered_by or ""),
                ("注销时间", unit.deregistered_at),
            ]
        return fields


class IssuingUnitSealView(FormPageView):
    """印章: preview of the uploaded seal, 上传 (replaces it) and 删除印章 (with confirmation)."""

    title = "发证单位印章 - {obj}"
    template_name = "certificates/issuing_unit_seal.html"
    active_menu = MENU
    permission_required = "certificates.change_issuingunit"
    object_getter = selectors.issuing_unit_get
    form_class = IssuingUnitSealForm
    submit_label = "上传印章"
    success_message = "发证单位“{obj}”的印章已上传"

    def perform(self, form):
        return services.seals.issuing_unit_seal_upload(
            actor=self.request.user,
            issuing_unit=self.object,
            data=services.seals.seal_read(form.cleaned_data["seal"]),
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("certificates:issuing-unit-seal", args=[self.object.pk])

    def get_cancel_url(self) -> str:
        return reverse("certificates:issuing-unit-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["has_seal"] = bool(unit.seal)
        context["remove"] = BoundAction(
            SEAL_REMOVE, SEAL_REMOVE.url_for(unit), SEAL_REMOVE.confirm.format(obj=unit)
        )
        return context


class IssuingUnitSealImageView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The uploaded seal as a PNG (the preview on the 印章 page)."""

    permission_required = "certificates.view_issuingunit"

    def get(self, request, pk: int):
        unit = selectors.issuing_unit_get(user=request.user, pk=pk)
        if not unit.seal:
            raise Http404("该发证单位未上传印章")
        return protect_inline_file(
            FileResponse(unit.seal.open("rb"), content_type="image/png", filename="seal.png")
        )


class IssuingUnitSealRemoveView(ObjectActionView):
    permission_required = "certificates.change_issuingunit"
    object_getter = selectors.issuing_unit_get
    success_message = "发证单位“{obj}”的印章已删除，证书将使用默认印章"

    def perform(self, obj, *, reason=""):
        return services.seals.issuing_unit_seal_remove(actor=self.request.user, issuing_unit=obj)

    def redirect_back(self):
        return HttpResponseRedirect(
            reverse("certificates:issuing-unit-seal", args=[self.object.pk])
        )


class IssuingUnitDeregisterView(ObjectActionView):
    permission_required = "certificates.deregister_issuingunit"
    object_getter = selectors.issuing_unit_get
    success_message = "发证单位“{obj}”已注销"
    success_url_name = "certificates:issuing-unit-list"
    require_reason = True
    reason_label = "注销原因"

    def perform(self, obj, *, reason=""):
        return services.issuing_unit_deregister(
            actor=self.request.user, issuing_unit=obj, reason=reason
        )


# --- 1.16 证书编号生成 -------------------------------------------------------------------------


class CertificateNumberListView(ListPageView):
    title = "证书编号生成"
    active_menu = "1.16"
    permission_required = "certificates.view_certificatenumber"
    listing = CERTIFICATE_NUMBERS
    create_url_name = "certificates:number-generate"
    create_permission = "certificates.add_certificatenumber"
    create_label = "生成证书编号"


class CertificateNumberGenerateView(FormPageView):
    title = "生成证书编号"
    active_menu = "1.16"
    permission_required = "certificates.add_certificatenumber"
    form_class = CertificateNumberGenerateForm
    submit_label = "生成证号"
    cancel_url_name = "certificates:number-list"

    def perform(self, form) -> CertificateNumberBatch:
        batch = services.certificate_numbers_generate(actor=self.request.user, **form.cleaned_data)
        self.success_message = services.generated_message(batch)
        return batch

    def get_success_url(self, obj: CertificateNumberBatch | None = None) -> str:
        # The list shows what was just made: the unit's numbers of that year.
        prefix = obj.first_number[:12]
        return f"{reverse('certificates:number-list')}?{urlencode({'number': prefix})}"

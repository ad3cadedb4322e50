"""1.9 发证单位编码配置: list (query, 导出查询结果), 新增, 编辑, 详情, 注销 with a reason."""

from django.urls import reverse

from zhicheng.certificates import selectors, services
from zhicheng.certificates.forms import (
    IssuingUnitCreateForm,
    IssuingUnitFilterForm,
    IssuingUnitUpdateForm,
)
from zhicheng.certificates.models import IssuingUnit
from zhicheng.web.views_list import Column, ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU = "1.9"

DETAIL = RowAction("详情", "certificates:issuing-unit-detail", "certificates.view_issuingunit")
EDIT = RowAction(
    "编辑",
    "certificates:issuing-unit-update",
    "certificates.change_issuingunit",
    visible=lambda unit: unit.is_active,
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
    selector = selectors.issuing_unit_list
    filter_form_class = IssuingUnitFilterForm
    columns = (
        Column("单位名称", "organization.name", link=True),
        Column("统一社会信用代码", "organization.uscc"),
        Column("编码", "code"),
        Column("状态", template="certificates/_status_cell.html"),
        Column("注销原因", "deregister_reason"),
        Column("注销时间", "deregistered_at"),
    )
    row_actions = (DETAIL, EDIT, DEREGISTER)
    create_url_name = "certificates:issuing-unit-create"
    create_permission = "certificates.add_issuingunit"
    export_key = "issuing-units"


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
    actions = (EDIT, DEREGISTER)
    back_url_name = "certificates:issuing-unit-list"

    def get_fields(self, unit: IssuingUnit):
        fields = [
            ("单位名称", unit.organization.name),
            ("统一社会信用代码", unit.organization.uscc),
            ("行政区划代码", unit.organization.region_code),
            ("编码", unit.code),
            ("状态", unit.get_status_display()),
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

"""1.22 职数申报查询 (HR bureaus: query, 详情, 导出查询结果) and the employer's side of it (申报职数,
修改) — one list, scoped: an employer's officer sees and edits their own organization's."""

from django.urls import reverse

from zhicheng.quotas import selectors, services
from zhicheng.quotas.forms import QuotaDeclarationForm
from zhicheng.quotas.listings import QUOTA_DECLARATIONS
from zhicheng.quotas.models import GRADES, QuotaDeclaration
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView

MENU = "1.22"
FIELDS = tuple(QuotaDeclarationForm.base_fields)

DETAIL = RowAction("详情", "quotas:declaration-detail", "quotas.view_quotadeclaration")
EDIT = RowAction("修改", "quotas:declaration-update", "quotas.change_quotadeclaration")


class QuotaDeclarationListView(ListPageView):
    title = "职数申报查询"
    active_menu = MENU
    permission_required = "quotas.view_quotadeclaration"
    listing = QUOTA_DECLARATIONS
    row_actions = (DETAIL, EDIT)
    create_url_name = "quotas:declaration-create"
    create_permission = "quotas.add_quotadeclaration"
    create_label = "申报职数"


class QuotaDeclarationCreateView(FormPageView):
    title = "申报职数"
    active_menu = MENU
    permission_required = "quotas.add_quotadeclaration"
    form_class = QuotaDeclarationForm
    submit_label = "提交申报"
    success_message = "已提交{obj}"
    cancel_url_name = "quotas:declaration-list"

    def perform(self, form) -> QuotaDeclaration:
        return services.quota_declaration_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("quotas:declaration-detail", args=[obj.pk])


class QuotaDeclarationUpdateView(FormPageView):
    title = "修改职数申报 - {obj}"
    active_menu = MENU
    permission_required = "quotas.change_quotadeclaration"
    object_getter = selectors.quota_declaration_get
    form_class = QuotaDeclarationForm
    success_message = "{obj}已保存"
    cancel_url_name = "quotas:declaration-list"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_year": False}

    def get_initial(self):
        return {name: getattr(self.object, name) for name in FIELDS if name != "year"}

    def perform(self, form) -> QuotaDeclaration:
        return services.quota_declaration_update(
            actor=self.request.user, declaration=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("quotas:declaration-detail", args=[obj.pk])


class QuotaDeclarationDetailView(DetailPageView):
    title = "职数申报详情 - {obj}"
    active_menu = MENU
    permission_required = "quotas.view_quotadeclaration"
    object_getter = selectors.quota_declaration_get
    actions = (EDIT,)
    back_url_name = "quotas:declaration-list"

    def get_fields(self, declaration: QuotaDeclaration):
        fields = [
            ("申报单位", declaration.organization.name),
            ("统一社会信用代码", declaration.organization.uscc),
            ("年度", declaration.year),
        ]
        for grade, label in GRADES:
            fields += [
                (f"{label}核定岗位数", getattr(declaration, f"{grade}_approved")),
                (f"{label}已聘人数", getattr(declaration, f"{grade}_filled")),
                (f"{label}空岗数", declaration.vacant(grade)),
                (f"{label}申报职数", getattr(declaration, f"{grade}_requested")),
            ]
        return fields + [
            ("联系人", declaration.contact_name),
            ("联系电话", declaration.contact_phone),
            ("说明", declaration.note),
            ("申报人", declaration.declared_by),
            ("申报时间", declaration.declared_at),
            ("修改时间", declaration.updated_at),
        ]

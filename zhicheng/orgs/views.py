"""机构管理 pages: list, 新增, 编辑, 详情 (with the chain of superiors), 注销."""

from django.urls import reverse

from zhicheng.common.scoping import scoped
from zhicheng.orgs import selectors, services
from zhicheng.orgs.forms import OrganizationCreateForm, OrganizationForm
from zhicheng.orgs.listings import ORGANIZATIONS
from zhicheng.orgs.models import Organization
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU = "sys.orgs"

DETAIL = RowAction("详情", "orgs:organization-detail", "orgs.view_organization")
EDIT = RowAction(
    "编辑", "orgs:organization-update", "orgs.change_organization", visible=lambda o: o.is_active
)
DEREGISTER = RowAction(
    "注销",
    "orgs:organization-deregister",
    "orgs.deregister_organization",
    method="post",
    confirm="确定注销机构“{obj}”吗？注销后不能再在其下新增机构或办理业务。",
    style="danger",
    visible=lambda o: o.is_active,
)


class OrganizationListView(ListPageView):
    title = "机构管理"
    active_menu = MENU
    permission_required = "orgs.view_organization"
    listing = ORGANIZATIONS
    row_actions = (DETAIL, EDIT, DEREGISTER)
    create_url_name = "orgs:organization-create"
    create_permission = "orgs.add_organization"
    import_key = "organizations"


class OrganizationCreateView(FormPageView):
    title = "新增机构"
    active_menu = MENU
    permission_required = "orgs.add_organization"
    form_class = OrganizationCreateForm
    success_message = "机构“{obj}”已新增"
    cancel_url_name = "orgs:organization-list"

    def perform(self, form):
        return services.organization_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("orgs:organization-detail", args=[obj.pk])


class OrganizationUpdateView(FormPageView):
    title = "编辑机构 - {obj}"
    active_menu = MENU
    permission_required = "orgs.change_organization"
    object_getter = selectors.organization_get
    form_class = OrganizationForm
    success_message = "机构“{obj}”已保存"
    cancel_url_name = "orgs:organization-list"

    def get_initial(self):
        org = self.object
        return {f: getattr(org, f) for f in ("name", "uscc", "org_type", "region_code")}

    def perform(self, form):
        return services.organization_update(
            actor=self.request.user, organization=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("orgs:organization-detail", args=[obj.pk])


class OrganizationDetailView(DetailPageView):
    title = "机构详情 - {obj}"
    active_menu = MENU
    permission_required = "orgs.view_organization"
    object_getter = selectors.organization_get
    template_name = "orgs/organization_detail.html"
    actions = (EDIT, DEREGISTER)
    back_url_name = "orgs:organization-list"

    def get_fields(self, org: Organization):
        return [
            ("机构名称", org.name),
            ("统一社会信用代码", org.uscc),
            ("机构类型", org.get_org_type_display()),
            ("行政区划代码", org.region_code),
            ("状态", org.get_status_display()),
            ("创建时间", org.created_at),
            ("修改时间", org.updated_at),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        ancestors = list(Organization.objects.get_ancestors(org))
        visible = set(
            scoped(
                Organization.objects.filter(pk__in=[a.pk for a in ancestors]), self.request.user
            ).values_list("pk", flat=True)
        )
        context["ancestors"] = [(a, a.pk in visible) for a in ancestors]
        context["children"] = Organization.objects.get_children(org).order_by("path")
        return context


class OrganizationDeregisterView(ObjectActionView):
    permission_required = "orgs.deregister_organization"
    object_getter = selectors.organization_get
    success_message = "机构“{obj}”已注销"
    success_url_name = "orgs:organization-list"

    def perform(self, obj, *, reason=""):
        return services.organization_deregister(actor=self.request.user, organization=obj)

"""Pages of 1.3 (受理机构) and 1.4–1.8 (审核路径, one set of views parameterised by route kind)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.query import query_int_or_none, query_text
from zhicheng.routing import selectors, services
from zhicheng.routing.forms import (
    ROUTE_HELP,
    AcceptanceOfficeForm,
    NoticeForm,
    RouteEdgeCreateForm,
    RouteEdgeUpdateForm,
    RoutePreviewForm,
    route_form_class,
)
from zhicheng.routing.listings import ACCEPTANCE_OFFICES, ROUTES, route_key
from zhicheng.routing.models import ROUTE_KIND_LEVELS, AcceptanceOffice, RouteEdge, RouteKind
from zhicheng.routing.notice import notice_html
from zhicheng.routing.resolve import route_resolve, top_label
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

OFFICE_MENU = "1.3"
ROUTE_MENU = {
    RouteKind.INITIAL: "1.4",
    RouteKind.RECOGNITION: "1.5",
    RouteKind.JUNIOR: "1.6",
    RouteKind.INTERMEDIATE: "1.7",
    RouteKind.SENIOR: "1.8",
}
ROUTE_TITLE = {
    RouteKind.INITIAL: "职称初定审核路径配置",
    RouteKind.RECOGNITION: "职称认定审核路径配置",
    RouteKind.JUNIOR: "初评会审核路径配置",
    RouteKind.INTERMEDIATE: "中评会审核路径配置",
    RouteKind.SENIOR: "高评会审核路径配置",
}


def route_list_url_name(kind: str) -> str:
    return f"routing:route-list-{kind}"


# --- 1.3 acceptance offices -------------------------------------------------------------------

OFFICE_DETAIL = RowAction("详情", "routing:office-detail", "routing.view_acceptanceoffice")
OFFICE_EDIT = RowAction(
    "编辑",
    "routing:office-update",
    "routing.change_acceptanceoffice",
    visible=lambda o: o.is_active,
)
OFFICE_NOTICE = RowAction(
    "申报须知",
    "routing:office-notice",
    "routing.change_acceptanceoffice",
    visible=lambda o: o.is_active,
)
OFFICE_DEREGISTER = RowAction(
    "注销",
    "routing:office-deregister",
    "routing.deregister_acceptanceoffice",
    method="post",
    confirm="确定注销受理机构“{obj}”吗？注销后不再受理新的申报，历史记录保留。",
    reason="注销原因",
    style="danger",
    visible=lambda o: o.is_active,
)


class AcceptanceOfficeListView(ListPageView):
    title = "职称初定/认定受理机构管理"
    active_menu = OFFICE_MENU
    permission_required = "routing.view_acceptanceoffice"
    listing = ACCEPTANCE_OFFICES
    row_actions = (OFFICE_DETAIL, OFFICE_EDIT, OFFICE_NOTICE, OFFICE_DEREGISTER)
    create_url_name = "routing:office-create"
    create_permission = "routing.add_acceptanceoffice"
    import_key = "acceptance-offices"


class AcceptanceOfficeCreateView(FormPageView):
    title = "新增受理机构"
    active_menu = OFFICE_MENU
    permission_required = "routing.add_acceptanceoffice"
    form_class = AcceptanceOfficeForm
    success_message = "受理机构“{obj}”已保存，请点击“申报须知”填写申报须知"
    cancel_url_name = "routing:office-list"

    def perform(self, form):
        return services.acceptance_office_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("routing:office-detail", args=[obj.pk])


class AcceptanceOfficeUpdateView(FormPageView):
    title = "编辑受理机构 - {obj}"
    active_menu = OFFICE_MENU
    permission_required = "routing.change_acceptanceoffice"
    object_getter = selectors.acceptance_office_get
    form_class = AcceptanceOfficeForm
    success_message = "受理机构“{obj}”已保存"
    cancel_url_name = "routing:office-list"

    def get_initial(self):
        office = self.object
        fields = ("node_type", "organization", "level", "acquisition_method")
        return {f: getattr(office, f) for f in fields}

    def perform(self, form):
        return services.acceptance_office_update(
            actor=self.request.user, office=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("routing:office-detail", args=[obj.pk])


class AcceptanceOfficeNoticeView(FormPageView):
    title = "申报须知 - {obj}"
    active_menu = OFFICE_MENU
    permission_required = "routing.change_acceptanceoffice"
    object_getter = selectors.acceptance_office_get
    form_class = NoticeForm
    template_name = "routing/office_notice.html"
    success_message = "“{obj}”的申报须知已保存"
    cancel_url_name = "routing:office-list"

    def get_initial(self):
        return {"notice": self.object.notice}

    def perform(self, form):
        return services.acceptance_office_notice_update(
            actor=self.request.user, office=self.object, notice=form.cleaned_data["notice"]
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("routing:office-detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice_preview"] = notice_html(self.object.notice)
        return context


class AcceptanceOfficeDetailView(DetailPageView):
    title = "受理机构详情 - {obj}"
    active_menu = OFFICE_MENU
    permission_required = "routing.view_acceptanceoffice"
    object_getter = selectors.acceptance_office_get
    template_name = "routing/office_detail.html"
    actions = (OFFICE_EDIT, OFFICE_NOTICE, OFFICE_DEREGISTER)
    back_url_name = "routing:office-list"

    def get_fields(self, office: AcceptanceOffice):
        fields = [
            ("机构名称", office.organization.name),
            ("统一社会信用代码", office.organization.uscc),
            ("受理节点类型", office.get_node_type_display()),
            ("职称等级", office.get_level_display()),
            ("取得方式", office.get_acquisition_method_display()),
            ("状态", office.get_status_display()),
            ("创建时间", office.created_at),
            ("修改时间", office.updated_at),
        ]
        if not office.is_active:
            fields += [
                ("注销原因", office.deregister_reason),
                ("注销人", office.deregistered_by),
                ("注销时间", office.deregistered_at),
            ]
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice_html"] = notice_html(self.object.notice)
        return context


class AcceptanceOfficeDeregisterView(ObjectActionView):
    permission_required = "routing.deregister_acceptanceoffice"
    object_getter = selectors.acceptance_office_get
    success_message = "受理机构“{obj}”已注销"
    success_url_name = "routing:office-list"

    def perform(self, obj, *, reason=""):
        return services.acceptance_office_deregister(
            actor=self.request.user, office=obj, reason=reason
        )


# --- 1.4–1.8 review routes --------------------------------------------------------------------


def _edge_menu(edge: RouteEdge) -> str:
    return ROUTE_MENU[edge.kind]


ROUTE_EDIT = RowAction(
    "编辑", "routing:route-update", "routing.change_routeedge", visible=lambda e: e.is_active
)
ROUTE_DEREGISTER = RowAction(
    "注销",
    "routing:route-deregister",
    "routing.deregister_routeedge",
    method="post",
    confirm="确定注销下级机构“{obj.subordinate.name}”吗？注销后它不再经由“{obj.superior.name}”送审，历史记录保留。",
    reason="注销原因",
    style="danger",
    visible=lambda e: e.is_active,
)


class RouteEdgeListView(ListPageView):
    """审核路径配置 of one route kind: an institution's 下级机构 (default: the officer's own)."""

    kind: str = ""
    template_name = "routing/route_list.html"
    permission_required = "routing.view_routeedge"
    listing = ROUTES
    # the page's own filters (superior: the typeahead's organization, default the officer's)
    selector = selectors.route_edge_list
    row_actions = (ROUTE_EDIT, ROUTE_DEREGISTER)
    create_label = "新增下级机构"
    create_permission = "routing.add_routeedge"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = kwargs["kind"]
        self.title = ROUTE_TITLE[self.kind]
        self.active_menu = ROUTE_MENU[self.kind]
        self.create_url_name = f"routing:route-create-{self.kind}"
        self.import_key = route_key(self.kind)
        self.export_key = route_key(self.kind)

    def get_filter_form(self):
        data = self.request.GET if self.request.GET else None
        initial = {"superior": self.request.user.organization}
        form_class = route_form_class(self.filter_form_class, self.kind)
        return form_class(data, user=self.request.user, initial=initial)

    def get_filters(self, form) -> dict[str, Any]:
        filters = super().get_filters(form)
        superior = filters.pop("superior", None)
        if superior is not None:
            filters["superior_id"] = superior.pk
        elif not form.is_bound and self.request.user.organization_id:
            filters["superior_id"] = self.request.user.organization_id
        self.superior_id = filters.get("superior_id")
        self.level = filters.get("level", "")
        return {**filters, "kind": self.kind}

    def toolbar_context(self) -> dict[str, Any]:
        context = super().toolbar_context()
        query = {k: v for k, v in (("superior", self.superior_id), ("level", self.level)) if v}
        if query:
            context["toolbar_buttons"] = [
                (b, f"{url}?{urlencode(query)}" if b.url_name == self.create_url_name else url)
                for b, url in context["toolbar_buttons"]
            ]
        if self.superior_id and "superior" not in self.request.GET:
            # The page shows the officer's own 下级机构 by default: export exactly that.
            context["export_query"] = self.query_string(superior=self.superior_id)
        context["preview_url"] = (
            reverse("routing:route-preview") + "?" + urlencode({"kind": self.kind})
        )
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["route_help"] = ROUTE_HELP.format(top=_top_description(self.kind))
        context["kind_label"] = RouteKind(self.kind).label
        chains = self._superior_chains()
        # The top of the organization tree (the province bureau) has no superior by nature: a
        # level whose route it is not on is a fact to state, not a missing link to repair.
        at_root = bool(chains) and self._is_root()
        off_route = [c for c in chains if at_root and not c.complete and len(c.nodes) == 1]
        context["superior_chains"] = [c for c in chains if c not in off_route]
        context["off_route_levels"] = [TitleLevel(c.level).label for c in off_route]
        context["off_route_name"] = off_route[0].nodes[0].name if off_route else ""
        context["top_label"] = top_label(self.kind)
        return context

    def _is_root(self) -> bool:
        return selectors.is_top_organization(self.superior_id)

    def _superior_chains(self) -> list:
        """Where the selected institution stands on each level of this route."""
        if not self.superior_id:
            return []
        levels = [self.level] if self.level else ROUTE_KIND_LEVELS[self.kind]
        return [route_resolve(int(self.superior_id), self.kind, level) for level in levels]


def _top_description(kind: str) -> str:
    if kind in (RouteKind.INITIAL, RouteKind.RECOGNITION):
        return f"该职称等级有效的{RouteKind(kind).label}{top_label(kind)}"
    return f"对应级别有效评委会的{top_label(kind)}"


class RouteEdgeCreateView(FormPageView):
    kind: str = ""
    permission_required = "routing.add_routeedge"
    form_class = RouteEdgeCreateForm
    template_name = "routing/route_form.html"
    success_message = "下级机构“{obj.subordinate.name}”已保存"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = kwargs["kind"]
        self.title = f"新增下级机构 - {ROUTE_TITLE[self.kind]}"
        self.active_menu = ROUTE_MENU[self.kind]

    def get_form_class(self):
        return route_form_class(self.form_class, self.kind)

    def get_initial(self):
        initial = {"superior": self.request.user.organization}
        superior = query_int_or_none(self.request.GET, "superior")
        if superior is not None:
            initial["superior"] = superior
        level = query_text(self.request.GET, "level")
        if level in ROUTE_KIND_LEVELS[self.kind]:
            initial["level"] = level
        return initial

    def perform(self, form):
        return services.route_edge_create(
            actor=self.request.user, kind=self.kind, **form.cleaned_data
        )

    def _list_url(self, **query) -> str:
        url = reverse(route_list_url_name(self.kind))
        return f"{url}?{urlencode(query)}" if query else url

    def get_cancel_url(self) -> str:
        return self._list_url()

    def get_success_url(self, obj=None) -> str:
        return self._list_url(superior=obj.superior_id, level=obj.level)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["route_help"] = ROUTE_HELP.format(top=_top_description(self.kind))
        return context


class RouteEdgeUpdateView(FormPageView):
    permission_required = "routing.change_routeedge"
    object_getter = selectors.route_edge_get
    form_class = RouteEdgeUpdateForm
    template_name = "routing/route_form.html"
    success_message = "下级机构“{obj.subordinate.name}”已保存"

    def get_title(self) -> str:
        edge = self.object
        return f"编辑下级机构 - {ROUTE_TITLE[edge.kind]}（{edge.get_level_display()}）"

    def page_context(self):
        return {**super().page_context(), "active_menu": _edge_menu(self.object)}

    def get_initial(self):
        edge = self.object
        return {
            "superior": edge.superior,
            "node_type": edge.node_type,
            "subordinate": edge.subordinate,
        }

    def perform(self, form):
        return services.route_edge_update(
            actor=self.request.user, edge=self.object, **form.cleaned_data
        )

    def _list_url(self, edge: RouteEdge) -> str:
        query = urlencode({"superior": edge.superior_id, "level": edge.level})
        return f"{reverse(route_list_url_name(edge.kind))}?{query}"

    def get_cancel_url(self) -> str:
        return self._list_url(self.object)

    def get_success_url(self, obj=None) -> str:
        return self._list_url(obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["route_help"] = ROUTE_HELP.format(top=_top_description(self.object.kind))
        return context


class RouteEdgeDeregisterView(ObjectActionView):
    permission_required = "routing.deregister_routeedge"
    object_getter = selectors.route_edge_get
    success_message = "下级机构“{obj.subordinate.name}”已注销"

    def perform(self, obj, *, reason=""):
        return services.route_edge_deregister(actor=self.request.user, edge=obj, reason=reason)

    def redirect_back(self):
        if not self.request.POST.get("next"):
            self.success_url_name = route_list_url_name(self.object.kind)
        return super().redirect_back()


class RoutePreviewView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """路径预览: pick an employer, a route kind and a level; see the chain or the missing link."""

    template_name = "routing/route_preview.html"
    permission_required = "routing.view_routeedge"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        bound = bool(params.get("employer") or params.get("level"))
        form = RoutePreviewForm(
            params if bound else None,
            user=self.request.user,
            initial={"kind": params.get("kind", "")},
        )
        chain = None
        if bound and form.is_valid():
            data = form.cleaned_data
            if data.get("employer") and data.get("kind") and data.get("level"):
                chain = selectors.route_preview(
                    user=self.request.user,
                    employer_id=data["employer"].pk,
                    kind=data["kind"],
                    level=data["level"],
                )
            else:
                form.add_error(None, "请选择用人单位、审核路径和职称等级")
        kind = params.get("kind", "")
        context.update(
            title="审核路径预览",
            active_menu=ROUTE_MENU.get(kind, ""),
            form=form,
            chain=chain,
            level_labels=dict(TitleLevel.choices),
            back_url=reverse(route_list_url_name(kind)) if kind in ROUTE_MENU else "",
        )
        return context

"""The list page every module reuses: query form, toolbar, table with row actions, pagination.

A module's list page is configuration. Example (the organizations page, ``orgs/views.py``)::

    class OrganizationListView(ListPageView):
        title = "机构管理"
        active_menu = "sys.orgs"                         # highlights the menu entry
        permission_required = "orgs.view_organization"
        listing = ORGANIZATIONS                         # orgs/listings.py: a common.listing.Listing
        # The listing gives the selector, the query form (web.forms.listing_form: one optional
        # field a Filter; its non-empty cleaned values narrow the selector), the table's columns
        # (its Col s with page=True: link=True → the row's 详情 action, template= renders the
        # cell with {{ obj }} and {{ value }}) and export_key. A view may still set selector,
        # filter_form_class and columns itself (they win over the listing's), or give the
        # form a base with extra checks: filter_form_base = DateRangeQueryForm (audit).
        row_actions = (
            RowAction("详情", "orgs:organization-detail", "orgs.view_organization"),
            RowAction("编辑", "orgs:organization-update", "orgs.change_organization"),
            RowAction("注销", "orgs:organization-deregister", "orgs.deregister_organization",
                      method="post", confirm="确定注销机构“{obj}”吗？", style="danger",
                      visible=lambda org: org.is_active),
        )
        create_url_name = "orgs:organization-create"    # toolbar 新增 (with create_permission)
        create_permission = "orgs.add_organization"
        import_key = "organizations"                    # toolbar 导入 (tabular import dialog)
        # toolbar 导出 → tabular:export ?<GET> (export_key, from the listing)

The template is ``web/_list_page.html`` unless the module sets ``template_name`` to a template
that ``{% extends "web/_list_page.html" %}`` and overrides blocks (``page_header``,
``before_table``, ``after_table``); ``extra_toolbar_template`` adds buttons to the toolbar.
When the request comes from HTMX (the query form, the pagination links), only ``web/_table.html`` (toolbar + table + pagination, the
``#list-results`` element) is rendered.

Row actions: ``method="get"`` is a link; ``method="post"`` is a small form with the CSRF token
and ``data-confirm`` — ``web/static/web/app.js`` then asks in the confirmation modal
(``web/_confirm_modal.html``, included by ``base.html``); ``reason="撤销原因"`` makes the modal
require a reason, posted as ``reason``; ``params=(("is_active", "0"),)`` posts extra hidden
fields. The POST target is typically a ``web.views_pages.ObjectActionView``. Permissions are checked per action; ``visible(obj)`` hides an action per row.

Toolbar 导入/导出 buttons appear only when ``import_key``/``export_key`` names a spec registered
with the tabular engine (``<app>/tabular.py``) and the user holds ``import_permission`` /
``export_permission`` (default: the spec's own permission). 导入 opens
``tabular/_import_dialog.html``; 导出 links to ``tabular:export`` with the current filters. Pagination: 20 rows a page, ``?page_size=``
one of ``page_size_choices``.

Form pages, detail pages and POST actions: see ``zhicheng.web.views_pages``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from zhicheng.common.listing import Listing
from zhicheng.common.validators import mask_if_id_number, may_see_full_id_numbers
from zhicheng.web.forms import BaseForm, QueryForm, listing_form

logger = logging.getLogger(__name__)

PAGE_PARAMS = ("page", "page_size")


@dataclass(frozen=True)
class Column:
    """A table column: ``accessor`` is a dotted attribute path (methods are called, so
    ``"get_status_display"`` works) or a callable ``obj -> value``; ``template`` renders the
    cell instead (context: ``obj``, ``value``, ``column``)."""

    header: str
    accessor: str | Callable[[Any], Any] | None = None
    template: str | None = None
    link: bool = False
    css_class: str = ""

    def value(self, obj: Any) -> Any:
        if self.accessor is None:
            return ""
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        for part in self.accessor.split("."):
            value = getattr(value, part, None)
            if callable(value):
                value = value()
            if value is None:
                return ""
        return value


@dataclass(frozen=True)
class RowAction:
    """详情 / 编辑 / 删除 / 注销 …; ``confirm`` may use ``{obj}``."""

    label: str
    url_name: str
    permission: str | None = None
    method: str = "get"
    confirm: str = ""
    reason: str = ""
    style: str = "primary"  # Bootstrap colour of the link/button: primary, danger, secondary…
    visible: Callable[[Any], bool] | None = None
    url_kwarg: str = "pk"
    params: tuple[tuple[str, str], ...] = ()  # extra hidden fields posted by a POST action
    fragment: str = ""  # a section of the target page (查看附件 → the detail's #attachments)

    def url_for(self, obj: Any) -> str:
        url = reverse(self.url_name, kwargs={self.url_kwarg: obj.pk})
        return f"{url}#{self.fragment}" if self.fragment else url


@dataclass(frozen=True)
class ToolbarButton:
    label: str
    url_name: str
    permission: str | None = None
    icon: str = ""
    style: str = "outline-primary"


@dataclass
class BoundAction:
    action: RowAction
    url: str
    confirm: str

    @property
    def is_post(self) -> bool:
        return self.action.method.lower() == "post"


@dataclass
class Cell:
    column: Column
    value: Any
    url: str = ""


@dataclass
class Row:
    obj: Any
    cells: list[Cell]
    actions: list[BoundAction]


def _try_reverse(url_name: str, *candidates: dict) -> str | None:
    for kwargs in candidates:
        try:
            return reverse(url_name, **kwargs)
        except NoReverseMatch:
            continue
    return None


def _tabular_spec(kind: str, key: str):
    """The tabular engine's ImportSpec/ExportSpec registered under ``key``, if any."""
    if not key:
        return None
    try:
        from zhicheng.tabular import engine
    except ImportError:  # the engine is optional for a list page
        return None
    getter = engine.get_import_spec if kind == "import" else engine.get_export_spec
    try:
        return getter(key)
    except LookupError:
        return None


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


class IdNumberMaskMixin:
    """``mask_id_numbers = True``: every 身份证号 the page shows as text (cells, titles,
    confirmations, messages — e.g. applicants' user names) is masked unless the user holds
    ``accounts.view_full_id_number``. Pass other strings through ``self.shown(...)``."""

    mask_id_numbers = False

    def shown(self, value: Any) -> Any:
        if self.mask_id_numbers and not may_see_full_id_numbers(self.request.user):
            return mask_if_id_number(value)
        return value


class ListPageView(IdNumberMaskMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Every list masks every 身份证号 it shows, whatever the viewer's rights: the whole number
    is shown only on a 详情 page to the roles that need it, and logged
    (``persons.services.id_number_reveal``)."""

    template_name = "web/_list_page.html"
    table_template_name = "web/_table.html"
    title = ""
    active_menu = ""
    permission_required: str | tuple[str, ...] = ()
    # A common.listing.Listing declares selector, query form, columns and export key at once.
    listing: Listing | None = None
    selector: Callable[..., QuerySet] | None = None
    filter_form_class: type | None = None
    filter_form_base: type[QueryForm] = QueryForm  # the listing's form derives from it
    columns: tuple[Column, ...] = ()
    row_actions: tuple[RowAction, ...] = ()
    toolbar: tuple[ToolbarButton, ...] = ()
    create_url_name = ""
    create_permission = ""
    create_label = "新增"
    import_key = ""
    import_permission = ""
    export_key = ""
    export_permission = ""
    paginate_by = 20
    page_size_choices: tuple[int, ...] = (20, 50, 100)
    empty_text = "暂无数据"
    extra_toolbar_template = ""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        listing = cls.__dict__.get("listing")
        if listing is None:
            return
        if "filter_form_class" not in cls.__dict__:
            cls.filter_form_class = listing_form(listing, base=cls.filter_form_base)
        if "columns" not in cls.__dict__:
            cls.columns = tuple(
                Column(c.header, c.value, c.template, c.link, c.css_class)
                for c in listing.page_columns
            )
        if "export_key" not in cls.__dict__:
            cls.export_key = listing.name

    def shown(self, value: Any) -> Any:
        return mask_if_id_number(value)

    # --- configuration hooks ---------------------------------------------------------------
    def get_filter_form(self):
        if self.filter_form_class is None:
            return None
        data = self.request.GET if self.request.GET else None
        if issubclass(self.filter_form_class, BaseForm):
            return self.filter_form_class(data, user=self.request.user)
        return self.filter_form_class(data)

    def get_filters(self, form) -> dict[str, Any]:
        if form is None or not form.is_bound:
            return {}
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "", [], ())}

    def get_queryset(self, filters: dict[str, Any]) -> QuerySet:
        if self.listing is not None and type(self).selector is None:
            return self.listing.queryset(self.request.user, filters)
        selector = type(self).selector  # plain function or staticmethod: never bound
        if selector is None:
            raise NotImplementedError(f"{type(self).__name__} needs a selector")
        return selector(user=self.request.user, **filters)

    def get_page_size(self) -> int:
        try:
            size = int(self.request.GET.get("page_size", self.paginate_by))
        except ValueError:
            return self.paginate_by
        return size if size in self.page_size_choices else self.paginate_by

    # --- building the page -------------------------------------------------------------------
    def _allowed(self, permission: str | None) -> bool:
        return not permission or self.request.user.has_perm(permission)

    def build_rows(self, objects: Iterable[Any]) -> list[Row]:
        actions = [a for a in self.row_actions if self._allowed(a.permission)]
        link_action = next((a for a in actions if a.method.lower() == "get"), None)
        rows = []
        for obj in objects:
            bound = [
                BoundAction(
                    a, a.url_for(obj), self.shown(a.confirm.format(obj=obj)) if a.confirm else ""
                )
                for a in actions
                if a.visible is None or a.visible(obj)
            ]
            link = link_action.url_for(obj) if link_action else ""
            cells = [
                Cell(c, self.shown(c.value(obj)), link if c.link else "") for c in self.columns
            ]
            rows.append(Row(obj, cells, bound))
        return rows

    def query_string(self, *, drop: Iterable[str] = PAGE_PARAMS, **extra) -> str:
        params = self.request.GET.copy()
        for key in drop:
            params.pop(key, None)
        for key, value in extra.items():
            params[key] = value
        return params.urlencode()

    def toolbar_context(self) -> dict[str, Any]:
        buttons = []
        if self.create_url_name and self._allowed(self.create_permission):
            buttons.append(
                ToolbarButton(
                    self.create_label, self.create_url_name, icon="plus-lg", style="primary"
                )
            )
        buttons += [b for b in self.toolbar if self._allowed(b.permission)]
        resolved = [(b, _try_reverse(b.url_name, {})) for b in buttons]
        context: dict[str, Any] = {"toolbar_buttons": [(b, url) for b, url in resolved if url]}
        export_url = None
        export_spec = _tabular_spec("export", self.export_key)
        if export_spec and self._allowed(self.export_permission or export_spec.permission):
            export_url = _try_reverse(
                "tabular:export", {"args": [self.export_key]}, {"kwargs": {"key": self.export_key}}
            )
        context["export_url"] = export_url
        context["export_query"] = self.query_string()
        import_spec = _tabular_spec("import", self.import_key)
        context["import_key"] = (
            self.import_key
            if import_spec
            and self._allowed(self.import_permission or import_spec.permission)
            and _template_exists("tabular/_import_dialog.html")
            else ""
        )
        return context

    def get_permission_required(self):
        perms = self.permission_required
        return (perms,) if isinstance(perms, str) else tuple(perms)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.get_filter_form()
        queryset = self.get_queryset(self.get_filters(form))
        page_size = self.get_page_size()
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            view=self,
            title=self.title,
            active_menu=self.active_menu,
            filter_form=form,
            columns=self.columns,
            rows=self.build_rows(page.object_list),
            has_actions=bool(self.row_actions),
            page_obj=page,
            paginator=paginator,
            # A ListPageQuerySet counts up to its cap: the total then says "超过 N 条".
            count_cap=getattr(queryset, "count_cap", None),
            page_size=page_size,
            page_size_choices=self.page_size_choices,
            page_query=self.query_string(),  # current filters, for pagination links
            page_size_query=self.query_string(drop=("page", "page_size")),
            empty_text=self.empty_text,
            list_url=self.request.path,
            extra_toolbar_template=self.extra_toolbar_template,
            **self.toolbar_context(),
        )
        return context

    def get_template_names(self) -> list[str]:
        if self.wants_results_only():
            return [self.table_template_name]
        return super().get_template_names()

    def wants_results_only(self) -> bool:
        """An HTMX request aimed at the results (query form, pagination), not a boosted
        navigation or a history restore (those need the whole page)."""
        htmx = getattr(self.request, "htmx", None)
        return bool(
            htmx
            and not htmx.boosted
            and not htmx.history_restore_request
            and htmx.target in (None, "list-results")
        )

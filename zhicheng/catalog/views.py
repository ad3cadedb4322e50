"""1.1 职称专业管理 and 1.2 职称树管理: a tree on the left, the selected node on the right.

The specialty tree expands lazily: the page renders the 栏目大类 (and the branch down to the
selected node); opening a node loads its children through HTMX
(``catalog:specialty-children``). Without JavaScript every node is a link that reloads the
page with that node selected and expanded. 新增 / 保存 / 删除 post to their own URLs; a
refused action re-renders the page with the reason (form) or shows it as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhicheng.catalog import selectors, services
from zhicheng.catalog.forms import SpecialtyForm, TitleForm
from zhicheng.catalog.models import Specialty, Title, TitleSeries
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import query_text
from zhicheng.tabular.engine import get_export_spec, get_import_spec

SPECIALTY_MENU = "1.1"
TITLE_MENU = "1.2"


def _tabular_context(request: HttpRequest, *, import_key: str = "", export_key: str = ""):
    """Toolbar 导入/导出 of the shared engine, shown only with the spec's permission."""
    user = request.user
    context = {"import_key": "", "export_url": ""}
    if import_key and user.has_perm(get_import_spec(import_key).permission):
        context["import_key"] = import_key
    if export_key and user.has_perm(get_export_spec(export_key).permission):
        context["export_url"] = reverse("tabular:export", args=[export_key])
    return context


# --- 1.1 职称专业管理 ---------------------------------------------------------------------


def _specialty_url(node: Specialty | None = None) -> str:
    url = reverse("catalog:specialty-tree")
    return f"{url}?node={node.pk}" if node is not None else url


def _expanded_tree(user, selected: Specialty | None) -> list[Specialty]:
    """The 栏目大类, with ``expanded_children`` filled along the branch to ``selected``."""
    roots = list(selectors.specialty_children(user=user))
    if selected is None:
        return roots
    branch = {a.pk for a in selected.ancestors} | {selected.pk}
    level = roots
    while level:
        opened = next((n for n in level if n.pk in branch), None)
        if opened is None:
            break
        opened.expanded_children = list(selectors.specialty_children(user=user, parent=opened))
        level = opened.expanded_children
    return roots


def _render_specialty_page(
    request: HttpRequest,
    selected: Specialty | None,
    *,
    create_form: SpecialtyForm | None = None,
    edit_form: SpecialtyForm | None = None,
) -> HttpResponse:
    user = request.user
    if selected is not None:
        selectors.attach_ancestors([selected])
    term = query_text(request.GET, "q")
    can_manage = bool(
        selected is not None and selectors.specialty_can_manage(user=user, specialty=selected)
    )
    can_add = bool(
        selected is not None
        and user.has_perm("catalog.add_specialty")
        and (selected.is_standard or can_manage)
    )
    if selected is not None and can_add and create_form is None:
        create_form = SpecialtyForm(user=user)
    can_edit = can_manage and user.has_perm("catalog.change_specialty") and not selected.is_category
    if selected is not None and can_edit and edit_form is None:
        edit_form = SpecialtyForm(initial={"code": selected.code, "name": selected.name}, user=user)
    context = {
        "title": "职称专业管理",
        "active_menu": SPECIALTY_MENU,
        "roots": _expanded_tree(user, selected),
        "selected": selected,
        "q": term,
        "results": selectors.specialty_search(user=user, term=term) if term else None,
        "search_limit": selectors.SEARCH_LIMIT,
        "create_form": create_form if can_add else None,
        "edit_form": edit_form if can_edit else None,
        "can_delete": can_manage
        and user.has_perm("catalog.delete_specialty")
        and selected is not None
        and not selected.is_category,
        **_tabular_context(request, import_key="specialties", export_key="specialties"),
    }
    return render(request, "catalog/specialty_tree.html", context)


@login_required
@require_GET
def specialty_tree(request: HttpRequest) -> HttpResponse:
    selected = None
    if request.GET.get("node"):
        selected = selectors.specialty_get(user=request.user, pk=request.GET["node"])
    return _render_specialty_page(request, selected)


@login_required
@require_GET
def specialty_children(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: one more level of the tree under node ``pk``."""
    parent = selectors.specialty_get(user=request.user, pk=pk)
    nodes = selectors.specialty_children(user=request.user, parent=parent)
    return render(request, "catalog/_specialty_nodes.html", {"nodes": nodes})


@login_required
@permission_required("catalog.add_specialty", raise_exception=True)
@require_POST
def specialty_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = selectors.specialty_get(user=request.user, pk=pk)
    form = SpecialtyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            node = services.specialty_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"专业“{node}”已新增")
            return redirect(_specialty_url(node))
    return _render_specialty_page(request, parent, create_form=form)


@login_required
@permission_required("catalog.change_specialty", raise_exception=True)
@require_POST
def specialty_update(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.specialty_get(user=request.user, pk=pk)
    if not selectors.specialty_can_manage(user=request.user, specialty=node):
        raise PermissionDenied("该专业由其他机构维护，您无权修改")
    form = SpecialtyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            node = services.specialty_update(
                actor=request.user, specialty=node, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"专业“{node}”已保存")
            return redirect(_specialty_url(node))
    node.refresh_from_db()
    return _render_specialty_page(request, node, edit_form=form)


@login_required
@permission_required("catalog.delete_specialty", raise_exception=True)
@require_POST
def specialty_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.specialty_get(user=request.user, pk=pk)
    parent = selectors.specialty_parent(node)
    try:
        services.specialty_delete(actor=request.user, specialty=node)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_specialty_url(node))
    messages.success(request, f"专业“{node}”已删除")
    return redirect(_specialty_url(parent))


# --- 1.2 职称树管理 -----------------------------------------------------------------------


def _title_url(*, series: TitleSeries | None = None, title: Title | None = None) -> str:
    url = reverse("catalog:title-tree")
    if title is not None:
        return f"{url}?title={title.pk}"
    if series is not None:
        return f"{url}?series={series.pk}"
    return url


def _render_title_page(
    request: HttpRequest,
    *,
    series: TitleSeries | None = None,
    title: Title | None = None,
    create_form: TitleForm | None = None,
    edit_form: TitleForm | None = None,
) -> HttpResponse:
    user = request.user
    if title is not None:
        series = title.series
    is_leaf = series is not None and not selectors.title_series_has_children(series)
    can_add = is_leaf and user.has_perm("catalog.add_title")
    if can_add and create_form is None:
        create_form = TitleForm(user=user)
    can_manage = title is not None and selectors.title_can_manage(user=user, title=title)
    can_edit = can_manage and user.has_perm("catalog.change_title")
    if can_edit and edit_form is None:
        edit_form = TitleForm(initial={"level": title.level, "name": title.name}, user=user)
    context = {
        "title": "职称树管理",
        "active_menu": TITLE_MENU,
        "tree": selectors.title_tree(user=user),
        "series": series,
        "selected_title": title,
        "open_series": {series.pk, series.parent_id} if series is not None else set(),
        "series_titles": list(selectors.title_list(user=user, series=series)) if series else [],
        "is_leaf": is_leaf,
        "create_form": create_form if can_add else None,
        "edit_form": edit_form if can_edit else None,
        "can_delete": can_manage and user.has_perm("catalog.delete_title"),
        **_title_search_context(request),
        **_tabular_context(request, export_key="titles"),
    }
    return render(request, "catalog/title_tree.html", context)


TITLE_SEARCH_LIMIT = 50


def _title_search_context(request: HttpRequest) -> dict:
    """职称树 查询 (支持查询): titles whose name contains the term, each opening its panel."""
    term = (request.GET.get("q") or "").strip()[:50]
    if not term:
        return {"search_term": "", "search_results": None}
    found = list(selectors.title_list(user=request.user, name=term)[: TITLE_SEARCH_LIMIT + 1])
    return {
        "search_term": term,
        "search_results": found[:TITLE_SEARCH_LIMIT],
        "search_truncated": len(found) > TITLE_SEARCH_LIMIT,
    }


@login_required
@require_GET
def title_tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.GET.get("title"):
        return _render_title_page(
            request, title=selectors.title_get(user=user, pk=request.GET["title"])
        )
    series = None
    if request.GET.get("series"):
        series = selectors.title_series_get(user=user, pk=request.GET["series"])
    return _render_title_page(request, series=series)


@login_required
@permission_required("catalog.add_title", raise_exception=True)
@require_POST
def title_create(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.title_series_get(user=request.user, pk=pk)
    form = TitleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            title = services.title_create(actor=request.user, series=series, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"职称“{title}”已新增")
            return redirect(_title_url(title=title))
    return _render_title_page(request, series=series, create_form=form)


@login_required
@permission_required("catalog.change_title", raise_exception=True)
@require_POST
def title_update(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(user=request.user, pk=pk)
    if not selectors.title_can_manage(user=request.user, title=title):
        raise PermissionDenied("该职称由其他机构维护，您无权修改")
    form = TitleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            title = services.title_update(actor=request.user, title=title, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"职称“{title}”已保存")
            return redirect(_title_url(title=title))
    title = selectors.title_get(user=request.user, pk=pk)
    return _render_title_page(request, title=title, edit_form=form)


@login_required
@permission_required("catalog.delete_title", raise_exception=True)
@require_POST
def title_delete(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(user=request.user, pk=pk)
    try:
        services.title_delete(actor=request.user, title=title)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_title_url(title=title))
    messages.success(request, f"职称“{title}”已删除")
    return redirect(_title_url(series=title.series))

"""The 受理机构 (1.3) and 审核路径 (1.4–1.8) lists, each declared once: page, export and API
derive from them."""

import dataclasses

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.orgs.widgets import OrganizationTypeaheadField
from zhicheng.routing import selectors
from zhicheng.routing.models import OFFICE_METHODS, NodeType, RecordStatus, RouteKind

METHOD_CHOICES = [(m.value, m.label) for m in OFFICE_METHODS]
ROUTES_KEY = "review-routes"


def route_key(kind: str) -> str:
    return f"{ROUTES_KEY}-{kind}"


def _state_cols() -> tuple[Col, ...]:
    return (
        Col(
            "状态",
            template="routing/_status_cell.html",
            field="status",
            choices=RecordStatus.choices,
            width=8,
        ),
        Col("注销原因", field="deregister_reason", width=24, page=False),
        Col("注销时间", field="deregistered_at", width=20, page=False),
        Col("创建时间", field="created_at", width=20, page=False),
    )


ACCEPTANCE_OFFICES = Listing(
    name="acceptance-offices",
    title="受理机构",
    permission="routing.view_acceptanceoffice",
    selector=selectors.acceptance_office_list,
    filters=(
        Filter(
            "organization",
            "机构名称",
            max_length=200,
            help_text="名称关键字或统一社会信用代码前缀",
            description="机构名称关键字或统一社会信用代码前缀",
        ),
        Filter("node_type", "受理节点类型", "choice", choices=NodeType.choices),
        Filter("level", "职称等级", "choice", choices=TitleLevel.choices),
        Filter("acquisition_method", "取得方式", "choice", choices=METHOD_CHOICES),
        Filter("status", "状态", "choice", choices=RecordStatus.choices),
    ),
    columns=(
        Col("机构名称", "organization.name", link=True, width=36),
        Col("统一社会信用代码", "organization.uscc", width=22),
        Col(
            "受理节点类型", "get_node_type_display", "node_type", choices=NodeType.choices, width=14
        ),
        Col("职称等级", "get_level_display", "level", choices=TitleLevel.choices, width=10),
        Col(
            "取得方式",
            "get_acquisition_method_display",
            "acquisition_method",
            choices=METHOD_CHOICES,
            width=10,
        ),
        Col("申报须知", lambda o: "已填写" if o.notice else "未填写", "notice", width=40),
        *_state_cols(),
    ),
)


def _superior_field(_filter) -> OrganizationTypeaheadField:
    return OrganizationTypeaheadField(
        required=False, label="机构（上级）", active_only=False, help_text="查看该机构的下级机构"
    )


# The page and the file order their columns differently: the file reads top-down (路径, 等级,
# 上级, 下级), the page lists the 下级机构 first.
ROUTES = Listing(
    name=ROUTES_KEY,
    title="审核路径",
    permission="routing.view_routeedge",
    selector=selectors.route_edge_list,
    filters=(
        Filter(
            "kind",
            "审核路径",
            "choice",
            choices=RouteKind.choices,
            page=False,
            invalid="审核路径类型“{value}”无效，可选：{codes}",
        ),
        Filter(
            "superior",
            "上级机构",
            "int",
            arg="superior_id",
            description="上级机构 id：只列其下级机构",
            form_field=_superior_field,  # the page's typeahead (its view passes the id)
        ),
        Filter("level", "职称等级", "choice", choices=TitleLevel.choices),
        Filter(
            "subordinate",
            "下级机构名称",
            max_length=200,
            description="下级机构名称关键字或统一社会信用代码前缀",
        ),
        Filter("node_type", "下级节点类型", "choice", choices=NodeType.choices),
        Filter("status", "状态", "choice", choices=RecordStatus.choices),
    ),
    columns=(
        Col("审核路径", field="kind", choices=RouteKind.choices, width=10, page=False),
        Col("职称等级", field="level", choices=TitleLevel.choices, width=10, page=False),
        Col("上级机构", field="superior__name", width=36, page=False),
        Col("上级机构统一社会信用代码", field="superior__uscc", width=24, page=False),
        Col("下级节点类型", field="node_type", choices=NodeType.choices, width=14, page=False),
        Col(
            "下级机构",
            template="routing/_subordinate_cell.html",
            field="subordinate__name",
            width=36,
        ),
        Col("统一社会信用代码", "subordinate.uscc", export=False),
        Col("下级机构统一社会信用代码", field="subordinate__uscc", width=24, page=False),
        Col("下级节点类型", "get_node_type_display", export=False),
        Col("职称等级", "get_level_display", export=False),
        Col("上级机构", "superior.name", export=False),
        *_state_cols(),
    ),
)


def routes_of_kind(kind: str) -> Listing:
    """One route kind's list (its page exports it): the kind fixed, whatever the query says."""
    return dataclasses.replace(
        ROUTES,
        name=route_key(kind),
        title=f"{RouteKind(kind).label}审核路径",
        fixed={"kind": kind},
    )


ROUTES_BY_KIND = {kind: routes_of_kind(kind) for kind in RouteKind.values}

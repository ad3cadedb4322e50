"""受理机构 and 审核路径 import/export through the shared tabular engine.

Imports:

- ``acceptance-offices``: 职称等级 and 取得方式 are chosen in the import dialog; each row holds
  受理节点类型 and the organization (统一社会信用代码 and/or exact 机构名称).
- ``review-routes-<kind>`` (one per route page, 职称等级 chosen in the dialog) and
  ``review-routes`` (the API: 审核路径 and 职称等级 as parameters): each row holds the 上级机构
  (统一社会信用代码; blank = the officer's own organization), 下级节点类型 and the 下级机构.
  Rows are checked in file order against the route and the rows before them, so one file may
  build a whole route top-down.

Exports reuse the list selectors with the list pages' GET parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import query_text
from zhicheng.common.validators import validate_uscc
from zhicheng.routing import selectors, services
from zhicheng.routing.listings import (
    ACCEPTANCE_OFFICES,
    METHOD_CHOICES,
    ROUTES,
    ROUTES_BY_KIND,
    ROUTES_KEY,
    route_key,
)
from zhicheng.routing.models import (
    ROUTE_KIND_LEVELS,
    NodeType,
    RouteKind,
)
from zhicheng.tabular.engine import (
    Column,
    ImportRow,
    ImportSpec,
    ParamField,
    check_drafts,
    listing_export,
    register_export,
    register_import,
)

OFFICE_KEY = ACCEPTANCE_OFFICES.name
LEVEL_CHOICES = TitleLevel.choices


def _level_choices(kind: str) -> list[tuple[str, str]]:
    return [(v, TitleLevel(v).label) for v in ROUTE_KIND_LEVELS[kind]]


# --- 受理机构 import -----------------------------------------------------------------------------

OFFICE_COLUMNS = (
    Column("受理节点类型", "node_type", required=True, choices=NodeType.choices, width=16),
    Column(
        "机构名称",
        "name",
        max_length=200,
        help="机构全称；与统一社会信用代码至少填写一项",
        width=36,
    ),
    Column(
        "统一社会信用代码",
        "uscc",
        parse=validate_uscc,
        help="18位；填写后按代码查找机构",
        width=22,
    ),
)


def validate_office_rows(rows: list[ImportRow], actor: User, params: dict[str, str]) -> None:
    level, method = params["level"], params["acquisition_method"]
    services.check_office_level_method(level, method)
    ok_rows = [r for r in rows if r.ok]
    index = selectors.organization_index(
        user=actor,
        usccs=[r.data.get("uscc") for r in ok_rows],
        names=[r.data.get("name") for r in ok_rows if not r.data.get("uscc")],
    )

    def draft(row: ImportRow) -> services.OfficeDraft:
        org = index.find(uscc=row.data.get("uscc", ""), name=row.data.get("name", ""))
        row.data["organization_id"] = org.pk
        return services.OfficeDraft(
            organization=org, node_type=row.data["node_type"], label=row.label
        )

    check_drafts(
        rows,
        draft,
        lambda drafts: services.acceptance_office_bulk_check(
            level=level, acquisition_method=method, drafts=drafts
        ),
    )


def commit_offices(rows: list[dict[str, Any]], actor: User, params: dict[str, str]) -> int:
    return services.acceptance_office_bulk_create(
        actor=actor,
        level=params["level"],
        acquisition_method=params["acquisition_method"],
        items=[(data["organization_id"], data["node_type"]) for data in rows],
    )


register_import(
    ImportSpec(
        key=OFFICE_KEY,
        title="受理机构",
        permission="routing.add_acceptanceoffice",
        columns=OFFICE_COLUMNS,
        params=(
            ParamField("level", "职称等级", choices=LEVEL_CHOICES),
            ParamField("acquisition_method", "取得方式", choices=METHOD_CHOICES),
        ),
        validate_rows=validate_office_rows,
        commit=commit_offices,
        instructions=(
            "职称等级和取得方式在导入页面选择，对文件中的所有行生效。",
            "机构按统一社会信用代码查找；未填代码时按机构名称精确查找。",
            "机构须在您的管辖范围内且状态正常；同一机构同一职称等级和取得方式只能有一个正常状态的受理机构。",
        ),
    )
)


# --- 审核路径 import -----------------------------------------------------------------------------

ROUTE_COLUMNS = (
    Column(
        "上级机构统一社会信用代码",
        "superior_uscc",
        parse=validate_uscc,
        help="留空则为本人所属机构；上级机构须已接入该审核路径，或在本文件中先于本行作为下级机构列出",
        width=28,
    ),
    Column("下级节点类型", "node_type", required=True, choices=NodeType.choices, width=16),
    Column(
        "下级机构名称",
        "name",
        max_length=200,
        help="下级机构全称；与下级机构统一社会信用代码至少填写一项",
        width=36,
    ),
    Column("下级机构统一社会信用代码", "uscc", parse=validate_uscc, width=28),
)


def _route_params(params: Mapping[str, str], kind: str | None) -> tuple[str, str]:
    route_kind = kind or query_text(params, "kind")
    level = query_text(params, "level")
    services.check_route_kind_level(route_kind, level)
    return route_kind, level


def _edge_draft_maker(rows: list[ImportRow], actor: User):
    """The row → ``EdgeDraft`` function, with every organization the rows name looked up at
    once; it notes the two ids in ``row.data`` for the commit."""
    ok_rows = [r for r in rows if r.ok]
    own = actor.organization
    index = selectors.organization_index(
        user=actor,
        usccs=[r.data.get(k) for r in ok_rows for k in ("superior_uscc", "uscc")],
        names=[r.data.get("name") for r in ok_rows if not r.data.get("uscc")],
        ids=[own.pk] if own else [],
    )

    def draft(row: ImportRow) -> services.EdgeDraft:
        if row.data.get("superior_uscc"):
            superior = index.find(uscc=row.data["superior_uscc"], what="上级机构")
        elif own is not None and own.pk in index.by_id:
            superior = index.by_id[own.pk]
        else:
            raise ApplicationError("请填写上级机构统一社会信用代码")
        subordinate = index.find(
            uscc=row.data.get("uscc", ""), name=row.data.get("name", ""), what="下级机构"
        )
        row.data["superior_id"] = superior.pk
        row.data["subordinate_id"] = subordinate.pk
        return services.EdgeDraft(
            superior=superior,
            subordinate=subordinate,
            node_type=row.data["node_type"],
            label=row.label,
        )

    return draft


def _route_import_hooks(kind: str | None):
    def validate_rows(rows: list[ImportRow], actor: User, params: dict[str, str]) -> None:
        route_kind, level = _route_params(params, kind)
        draft = _edge_draft_maker(rows, actor)

        def check(drafts: list[services.EdgeDraft]) -> dict[int, str]:
            # Under the route lock: the rows are checked against the route as it stands.
            services.lock_route(route_kind, level)
            return services.route_edge_bulk_check(kind=route_kind, level=level, drafts=drafts)

        check_drafts(rows, draft, check)

    def commit(rows: list[dict[str, Any]], actor: User, params: dict[str, str]) -> int:
        route_kind, level = _route_params(params, kind)
        return services.route_edge_bulk_create(
            actor=actor,
            kind=route_kind,
            level=level,
            items=[(d["superior_id"], d["subordinate_id"], d["node_type"]) for d in rows],
        )

    return validate_rows, commit


ROUTE_INSTRUCTIONS = (
    "审核路径自上而下配置：上级机构须已接入该审核路径（是顶端机构，或已有上级），"
    "或在本文件中先于本行作为下级机构列出。",
    "一个机构在同一审核路径、同一职称等级下只能有一个上级，路径不能形成循环。",
    "上级机构统一社会信用代码留空时，上级机构为本人所属机构。",
)


def _register_route_import(kind: str | None) -> None:
    validate_rows, commit = _route_import_hooks(kind)
    if kind:
        key, title = route_key(kind), f"{RouteKind(kind).label}审核路径下级机构"
        params = (ParamField("level", "职称等级", choices=_level_choices(kind)),)
    else:
        key, title = ROUTES_KEY, "审核路径下级机构"
        params = (
            ParamField("kind", "审核路径", choices=RouteKind.choices),
            ParamField("level", "职称等级", choices=LEVEL_CHOICES),
        )
    register_import(
        ImportSpec(
            key=key,
            title=title,
            permission="routing.add_routeedge",
            columns=ROUTE_COLUMNS,
            params=params,
            validate_rows=validate_rows,
            commit=commit,
            instructions=ROUTE_INSTRUCTIONS,
        )
    )


for _kind in (None, *RouteKind.values):
    _register_route_import(_kind)


# --- exports: the list pages' queries -----------------------------------------------------------

register_export(listing_export(ACCEPTANCE_OFFICES))
register_export(listing_export(ROUTES))
for _listing in ROUTES_BY_KIND.values():
    register_export(listing_export(_listing))

"""Writes of 1.4–1.8 审核路径配置 (review routes, built top-down; see the package docstring)."""

from __future__ import annotations

from django.db import connection, transaction

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization
from zhicheng.routing.models import ROUTE_KIND_LEVELS, RouteEdge, RouteKind
from zhicheng.routing.resolve import RouteGraph, route_label, top_label

from ._common import (
    OrgLike,
    _check_level,
    _deregister,
    _save,
    check_org_in_scope,
    node_type_problem,
)


def lock_route(kind: str, level: str) -> None:
    """Serialise writers of one (kind, level) route so two edges never close a cycle together.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: transactions already take the write
    lock at BEGIN (``transaction_mode = IMMEDIATE``), so writers are serialised anyway.
    """
    if connection.vendor == "postgresql":
        key = RouteKind.values.index(kind) * 100 + TitleLevel.values.index(level)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_201, key])


def check_route_kind_level(kind: str, level: str) -> None:
    if kind not in RouteKind.values:
        raise ApplicationError(f"审核路径类型“{kind}”无效")
    _check_level(level)
    if level not in ROUTE_KIND_LEVELS[kind]:
        allowed = "、".join(TitleLevel(v).label for v in ROUTE_KIND_LEVELS[kind])
        raise ApplicationError(f"{RouteKind(kind).label}审核路径只适用于{allowed}职称")


class EdgeChecker:
    """The route rules for new links of one (kind, level), against a route held in memory.

    Used by the single-edge services and, row by row, by the import (which adds each accepted
    row to the graph so later rows are checked against earlier ones).
    """

    def __init__(self, kind: str, level: str, graph: RouteGraph | None = None) -> None:
        self.kind = kind
        self.level = level
        self.label = route_label(kind, level)
        self.graph = graph or RouteGraph.load(kind, level)
        self._names: dict[int, str] = {}

    def name(self, pk: int) -> str:
        if pk not in self._names:
            self._names[pk] = (
                Organization.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
            )
        return self._names[pk]

    def remember(self, org: OrgLike) -> None:
        self._names[org.pk] = org.name

    def superior_problem(self, superior: OrgLike) -> str:
        """Why nothing can be added under ``superior`` yet ("" when it is on the route)."""
        self.remember(superior)
        if not superior.is_active:
            return f"上级机构 {superior.name} 已注销"
        way, _cyclic = self.graph.walk_up(superior.pk)
        top = way[-1]
        if top in self.graph.tops:
            return ""
        what = top_label(self.kind)
        if top == superior.pk:
            return (
                f"上级机构 {superior.name} 尚未接入{self.label}审核路径：它不是有效的{what}，"
                f"也没有配置上级机构。请先配置它的上级机构（审核路径自上而下配置）"
            )
        return (
            f"上级机构 {superior.name} 所在路径的顶端 {self.name(top)} 不是有效的{what}"
            f"（{self.label}），请先修复该路径"
        )

    def subordinate_problem(
        self, *, superior: OrgLike, subordinate: OrgLike, node_type: str
    ) -> str:
        """Why ``subordinate`` cannot be linked under ``superior`` ("" when it can)."""
        self.remember(subordinate)
        if subordinate.pk == superior.pk:
            return "上级机构和下级机构不能是同一机构"
        if not subordinate.is_active:
            return f"机构 {subordinate.name} 已注销，不能加入审核路径"
        problem = node_type_problem(node_type, subordinate)
        if problem:
            return problem
        current = self.graph.superior_of.get(subordinate.pk)
        if current is not None:
            if current == superior.pk:
                return f"{subordinate.name} 已是 {superior.name} 的下级机构（{self.label}）"
            return (
                f"{subordinate.name} 在{self.label}审核路径中已有上级机构 {self.name(current)}，"
                "一个机构只能有一个上级"
            )
        way, _cyclic = self.graph.walk_up(superior.pk)
        if subordinate.pk in way:
            return (
                f"不能把 {subordinate.name} 设为 {superior.name} 的下级：{subordinate.name} "
                f"已在 {superior.name} 的上级路径中（{self.label}），会形成循环"
            )
        return ""

    def children_count(self, org_id: int) -> int:
        return sum(1 for sup in self.graph.superior_of.values() if sup == org_id)


def _edge_rule_error(checker: EdgeChecker, superior, subordinate, node_type) -> None:
    problem = checker.subordinate_problem(
        superior=superior, subordinate=subordinate, node_type=node_type
    ) or checker.superior_problem(superior)
    if problem:
        raise ApplicationError(problem)


@transaction.atomic
def route_edge_create(
    *,
    actor: User,
    kind: str,
    level: str,
    superior: Organization,
    subordinate: Organization,
    node_type: str,
) -> RouteEdge:
    """Add ``subordinate`` as a 下级机构 of ``superior`` on the (kind, level) route."""
    require_perm(actor, "routing.add_routeedge")
    check_route_kind_level(kind, level)
    check_org_in_scope(actor=actor, organization=superior, what="上级机构")
    check_org_in_scope(actor=actor, organization=subordinate, what="下级机构")
    lock_route(kind, level)
    superior = Organization.objects.get(pk=superior.pk)
    subordinate = Organization.objects.get(pk=subordinate.pk)
    _edge_rule_error(EdgeChecker(kind, level), superior, subordinate, node_type)
    edge = RouteEdge(
        kind=kind,
        level=level,
        superior=superior,
        subordinate=subordinate,
        node_type=node_type,
        created_by=actor,
    )
    _save(edge)
    return edge


def _lock_edge(*, actor: User, edge: RouteEdge) -> RouteEdge:
    locked = scoped(RouteEdge.objects.select_for_update(), actor).filter(pk=edge.pk).first()
    if locked is None:
        raise ApplicationError("审核路径记录不存在或不在您的管辖范围内")
    return locked


@transaction.atomic
def route_edge_update(
    *,
    actor: User,
    edge: RouteEdge,
    node_type: str | None = None,
    subordinate: Organization | None = None,
    superior: Organization | None = None,
) -> RouteEdge:
    """修改: the node type, the subordinate organization, or move it (and its 下级) elsewhere."""
    require_perm(actor, "routing.change_routeedge")
    edge = _lock_edge(actor=actor, edge=edge)
    if not edge.is_active:
        raise ApplicationError("已注销的审核路径记录不能修改")
    lock_route(edge.kind, edge.level)
    checker = EdgeChecker(edge.kind, edge.level)
    new_superior = edge.superior
    new_subordinate = edge.subordinate
    if superior is not None and superior.pk != edge.superior_id:
        check_org_in_scope(actor=actor, organization=superior, what="上级机构")
        new_superior = Organization.objects.get(pk=superior.pk)
    if subordinate is not None and subordinate.pk != edge.subordinate_id:
        check_org_in_scope(actor=actor, organization=subordinate, what="下级机构")
        children = checker.children_count(edge.subordinate_id)
        if children and edge.subordinate_id not in checker.graph.tops:
            raise ApplicationError(
                f"{edge.subordinate.name} 在此审核路径中还有 {children} 个下级机构，"
                "不能更换为其他机构；请先调整这些下级机构"
            )
        new_subordinate = Organization.objects.get(pk=subordinate.pk)
    new_node_type = node_type if node_type is not None else edge.node_type
    # Check the edited link as if it were new: take the old one out of the route first.
    checker.graph.remove(subordinate=edge.subordinate_id)
    _edge_rule_error(checker, new_superior, new_subordinate, new_node_type)
    edge.superior = new_superior
    edge.subordinate = new_subordinate
    edge.node_type = new_node_type
    _save(edge)
    return edge


@transaction.atomic
def route_edge_deregister(*, actor: User, edge: RouteEdge, reason: str = "") -> RouteEdge:
    """注销 a 下级机构. Refused while it has 下级机构 that would be cut off from the top."""
    require_perm(actor, "routing.deregister_routeedge")
    edge = _lock_edge(actor=actor, edge=edge)
    if edge.is_active:
        lock_route(edge.kind, edge.level)
        checker = EdgeChecker(edge.kind, edge.level)
        children = checker.children_count(edge.subordinate_id)
        if children and edge.subordinate_id not in checker.graph.tops:
            raise ApplicationError(
                f"{edge.subordinate.name} 在此审核路径中还有 {children} 个下级机构，"
                "请先注销或调整这些下级机构"
            )
    _deregister(edge, actor=actor, reason=reason, summary=f"注销审核路径下级机构 {edge}")
    return edge

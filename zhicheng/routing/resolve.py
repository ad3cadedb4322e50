"""Route resolution: employer → … → top, for one employer or many at once.

A route of one (kind, level) is loaded whole — one query for its active edges, one for its valid
tops, one for the names and statuses of the organizations met — and walked in memory, memoising
every node's way to the top, so a batch of 10,000 employers costs three queries.

This is the system's routing table, read without a user scope: callers that act for a user (the
preview page, the API) check that the *employer* is in the user's scope first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhicheng.catalog.models import TitleLevel
from zhicheng.orgs.models import Organization, OrgStatus
from zhicheng.routing.models import (
    ROUTE_KIND_METHOD,
    AcceptanceOffice,
    NodeType,
    RecordStatus,
    RouteEdge,
    RouteKind,
)

TOP_LABEL_OFFICE = "受理机构"
TOP_LABEL_ORGANIZER = "评委会组建单位"


def route_label(kind: str, level: str) -> str:
    """``高评会 · 副高级``: how a route is named in messages."""
    return f"{RouteKind(kind).label} · {TitleLevel(level).label}"


def top_label(kind: str) -> str:
    return TOP_LABEL_OFFICE if kind in ROUTE_KIND_METHOD else TOP_LABEL_ORGANIZER


def valid_top_ids(kind: str, level: str, *, today: dt.date | None = None) -> set[int]:
    """Organizations a (kind, level) route may end at.

    初定/认定: the active acceptance offices of that level and method. 初评会/中评会/高评会: the
    organizers of committees of the matching committee level that accept work today (正常 and
    within their validity).
    """
    if kind in ROUTE_KIND_METHOD:
        return set(
            AcceptanceOffice.objects.filter(
                level=level,
                acquisition_method=ROUTE_KIND_METHOD[kind],
                status=RecordStatus.ACTIVE,
            ).values_list("organization_id", flat=True)
        )
    from zhicheng.committees.models import Committee, CommitteeOrganizer

    committees = Committee.objects.accepting_work(today).filter(level=kind)
    return set(
        CommitteeOrganizer.objects.filter(committee__in=committees).values_list(
            "organization_id", flat=True
        )
    )


def office_node_types(kind: str, level: str, org_ids: Iterable[int]) -> dict[int, str]:
    if kind not in ROUTE_KIND_METHOD:
        return {}
    return dict(
        AcceptanceOffice.objects.filter(
            level=level,
            acquisition_method=ROUTE_KIND_METHOD[kind],
            status=RecordStatus.ACTIVE,
            organization_id__in=list(org_ids),
        ).values_list("organization_id", "node_type")
    )


@dataclass(frozen=True)
class RouteNode:
    organization_id: int
    name: str
    node_type: str  # NodeType value, or "" for the top of a committee route
    is_top: bool = False

    @property
    def node_type_label(self) -> str:
        if self.node_type:
            return NodeType(self.node_type).label
        return TOP_LABEL_ORGANIZER if self.is_top else ""


@dataclass
class RouteChain:
    """The way from an employer to the top, or as far as it goes plus the missing link."""

    employer_id: int
    kind: str
    level: str
    nodes: list[RouteNode] = field(default_factory=list)
    missing: str = ""

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def top(self) -> RouteNode | None:
        return self.nodes[-1] if self.complete and self.nodes else None

    @property
    def label(self) -> str:
        return route_label(self.kind, self.level)


class RouteGraph:
    """The active edges of one (kind, level), held in memory."""

    def __init__(
        self,
        kind: str,
        level: str,
        *,
        superior_of: dict[int, int],
        node_type_of: dict[int, str],
        tops: set[int],
    ) -> None:
        self.kind = kind
        self.level = level
        self.superior_of = superior_of
        self.node_type_of = node_type_of
        self.tops = tops

    @classmethod
    def load(cls, kind: str, level: str, *, today: dt.date | None = None) -> RouteGraph:
        superior_of: dict[int, int] = {}
        node_type_of: dict[int, str] = {}
        rows = RouteEdge.objects.filter(
            kind=kind, level=level, status=RecordStatus.ACTIVE
        ).values_list("subordinate_id", "superior_id", "node_type")
        for sub, sup, node_type in rows:
            superior_of[sub] = sup
            node_type_of[sub] = node_type
        return cls(
            kind,
            level,
            superior_of=superior_of,
            node_type_of=node_type_of,
            tops=valid_top_ids(kind, level, today=today),
        )

    def walk_up(self, start: int) -> tuple[list[int], bool]:
        """Ids from ``start`` up to the last reachable node; the flag says a cycle cut it."""
        path = [start]
        seen = {start}
        node = start
        while node in self.superior_of:
            node = self.superior_of[node]
            if node in seen:
                return path, True
            path.append(node)
            seen.add(node)
        return path, False

    def add(self, *, superior: int, subordinate: int, node_type: str) -> None:
        self.superior_of[subordinate] = superior
        self.node_type_of[subordinate] = node_type

    def remove(self, *, subordinate: int) -> None:
        self.superior_of.pop(subordinate, None)
        self.node_type_of.pop(subordinate, None)


def _org_facts(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """id → (name, status), in batches that every database accepts."""
    ids = list(set(ids))
    facts: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 900):
        batch = ids[start : start + 900]
        for pk, name, status in Organization.objects.filter(pk__in=batch).values_list(
            "pk", "name", "status"
        ):
            facts[pk] = (name, status)
    return facts


def _hop_graph(kind: str, level: str, start: int, *, today: dt.date | None) -> RouteGraph:
    """Only the edges on the way up from ``start`` (one query per hop; routes are shallow)."""
    superior_of: dict[int, int] = {}
    node_type_of: dict[int, str] = {}
    node = start
    while node not in superior_of:
        row = (
            RouteEdge.objects.filter(
                kind=kind, level=level, status=RecordStatus.ACTIVE, subordinate_id=node
            )
            .values_list("superior_id", "node_type")
            .first()
        )
        if row is None:
            break
        superior_of[node], node_type_of[node] = row
        node = row[0]
    return RouteGraph(
        kind,
        level,
        superior_of=superior_of,
        node_type_of=node_type_of,
        tops=valid_top_ids(kind, level, today=today),
    )


def _chains(graph: RouteGraph, employer_ids: list[int]) -> dict[int, RouteChain]:
    kind, level = graph.kind, graph.level
    label = route_label(kind, level)
    # Memo: node → (ids from the node up to where the walk ends, cut-by-a-cycle flag).
    memo: dict[int, tuple[tuple[int, ...], bool]] = {}

    def way_up(start: int) -> tuple[tuple[int, ...], bool]:
        pending: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        tail: tuple[int, ...] = ()
        cyclic = False
        while node is not None:
            if node in memo:
                tail, cyclic = memo[node]
                break
            if node in on_path:
                cyclic = True
                break
            pending.append(node)
            on_path.add(node)
            node = graph.superior_of.get(node)
        for pending_node in reversed(pending):
            tail = (pending_node, *tail)
            memo[pending_node] = (tail, cyclic)
        return memo[start]

    ways = {employer: way_up(employer) for employer in employer_ids}
    facts = _org_facts(pk for way, _ in ways.values() for pk in way)
    office_types = office_node_types(kind, level, {way[-1] for way, _ in ways.values()})

    chains: dict[int, RouteChain] = {}
    for employer, (way, cyclic) in ways.items():
        chain = RouteChain(employer_id=employer, kind=kind, level=level)
        top = way[-1]
        top_ok = top in graph.tops and not cyclic
        inactive = ""
        for pk in way:
            name, status = facts.get(pk, ("（未知机构）", OrgStatus.DEREGISTERED))
            if status != OrgStatus.ACTIVE and not inactive:
                inactive = name
            is_top = pk == top and top_ok
            node_type = office_types.get(pk, "") if is_top else ""
            node_type = node_type or graph.node_type_of.get(pk, "")
            chain.nodes.append(RouteNode(pk, name, node_type, is_top=is_top))
        if cyclic:
            chain.missing = f"审核路径存在循环，请检查 {chain.nodes[-1].name} 的上级机构（{label}）"
        elif inactive:
            chain.missing = f"路径上的机构 {inactive} 已注销（{label}）"
        elif not top_ok:
            if len(way) == 1:
                chain.missing = f"{chain.nodes[0].name} 没有配置上级机构（{label}）"
            else:
                chain.missing = (
                    f"顶端机构 {chain.nodes[-1].name} 不是有效的{top_label(kind)}，"
                    f"也没有配置上级机构（{label}）"
                )
        chains[employer] = chain
    return chains


def route_resolve_many(
    employer_ids: Iterable[int], kind: str, level: str, *, today: dt.date | None = None
) -> dict[int, RouteChain]:
    """Resolve many employers at once: one load of the route, a memoised walk in memory."""
    ids = list(dict.fromkeys(employer_ids))
    return _chains(RouteGraph.load(kind, level, today=today), ids)


def route_resolve(
    employer: Organization | int, kind: str, level: str, *, today: dt.date | None = None
) -> RouteChain:
    """The chain from ``employer`` to the top of the (kind, level) route, or the missing link."""
    employer_id = employer if isinstance(employer, int) else employer.pk
    graph = _hop_graph(kind, level, employer_id, today=today)
    return _chains(graph, [employer_id])[employer_id]

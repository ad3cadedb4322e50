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

from django.db import connection

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
    """The active edges of one (kind, level), held in memory.

    ``facts`` (id → (name, status)) is filled when loaded ``with_facts`` (resolution needs the
    names and statuses of the organizations on the way; the write checks do not).
    """

    def __init__(
        self,
        kind: str,
        level: str,
        *,
        superior_of: dict[int, int],
        node_type_of: dict[int, str],
        tops: set[int],
        facts: dict[int, tuple[str, str]] | None = None,
    ) -> None:
        self.kind = kind
        self.level = level
        self.superior_of = superior_of
        self.node_type_of = node_type_of
        self.tops = tops
        self.facts = facts if facts is not None else {}

    @classmethod
    def load(
        cls, kind: str, level: str, *, today: dt.date | None = None, with_facts: bool = False
    ) -> RouteGraph:
        superior_of: dict[int, int] = {}
        node_type_of: dict[int, str] = {}
        facts: dict[int, tuple[str, str]] = {}
        edges = RouteEdge.objects.filter(kind=kind, level=level, status=RecordStatus.ACTIVE)
        if with_facts:
            rows = edges.values_list(
                "subordinate_id",
                "superior_id",
                "node_type",
                "subordinate__name",
                "subordinate__status",
                "superior__name",
                "superior__status",
            )
            for sub, sup, node_type, sub_name, sub_status, sup_name, sup_status in rows:
                superior_of[sub] = sup
                node_type_of[sub] = node_type
                facts[sub] = (sub_name, sub_status)
                facts[sup] = (sup_name, sup_status)
        else:
            for sub, sup, node_type in edges.values_list(
                "subordinate_id", "superior_id", "node_type"
            ):
                superior_of[sub] = sup
                node_type_of[sub] = node_type
        return cls(
            kind,
            level,
            superior_of=superior_of,
            node_type_of=node_type_of,
            tops=valid_top_ids(kind, level, today=today),
            facts=facts,
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
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        for pk, name, status in Organization.objects.filter(pk__in=batch).values_list(
            "pk", "name", "status"
        ):
            facts[pk] = (name, status)
    return facts


# A way up longer than this is a cycle (the walk below stops at the first node seen again).
MAX_HOPS = 100


def _way_up_rows(kind: str, level: str, start: int) -> list[tuple[int, int, str, str, str]]:
    """The active edges on the way up from ``start``, in order, with each superior's name and
    status: (subordinate, superior, node_type, name, status). One recursive query instead of
    one query per hop (a submission resolves its route on every call)."""
    edges, orgs = RouteEdge._meta.db_table, Organization._meta.db_table
    match = "kind = %s AND level = %s AND status = %s"  # the edge's: ``up`` has no such column
    sql = f"""
        WITH RECURSIVE up(subordinate_id, superior_id, node_type, hop) AS (
            SELECT e.subordinate_id, e.superior_id, e.node_type, 1
            FROM {edges} e WHERE {match} AND e.subordinate_id = %s
            UNION ALL
            SELECT e.subordinate_id, e.superior_id, e.node_type, up.hop + 1
            FROM {edges} e JOIN up ON e.subordinate_id = up.superior_id
            WHERE {match} AND up.hop < %s
        )
        SELECT up.subordinate_id, up.superior_id, up.node_type, o.name, o.status
        FROM up JOIN {orgs} o ON o.id = up.superior_id
        ORDER BY up.hop
    """
    active = (kind, level, RecordStatus.ACTIVE)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*active, start, *active, MAX_HOPS])
        return cursor.fetchall()


def _hop_graph(kind: str, level: str, start: int, *, today: dt.date | None) -> RouteGraph:
    """Only the edges on the way up from ``start`` (routes are shallow)."""
    superior_of: dict[int, int] = {}
    node_type_of: dict[int, str] = {}
    facts: dict[int, tuple[str, str]] = {}
    for subordinate, superior, node_type, name, status in _way_up_rows(kind, level, start):
        if subordinate in superior_of:  # a cycle: the way up came back
            break
        superior_of[subordinate], node_type_of[subordinate] = superior, node_type
        facts[superior] = (name, status)
    return RouteGraph(
        kind,
        level,
        superior_of=superior_of,
        node_type_of=node_type_of,
        tops=valid_top_ids(kind, level, today=today),
        facts=facts,
    )


# Why a way up ends where it ends (the missing link, as a code and the organization concerned).
_OK, _CYCLE, _INACTIVE, _NO_SUPERIOR, _BAD_TOP = "", "cycle", "inactive", "no_superior", "bad_top"


def _missing_message(code: str, name: str, kind: str, label: str) -> str:
    if code == _CYCLE:
        return f"审核路径存在循环，请检查 {name} 的上级机构（{label}）"
    if code == _INACTIVE:
        return f"路径上的机构 {name} 已注销（{label}）"
    if code == _NO_SUPERIOR:
        return f"{name} 没有配置上级机构（{label}）"
    if code == _BAD_TOP:
        return f"顶端机构 {name} 不是有效的{top_label(kind)}，也没有配置上级机构（{label}）"
    return ""


def _chains(graph: RouteGraph, employer_ids: list[int]) -> dict[int, RouteChain]:
    """Walk up from every employer, memoising each node's way to the top (as shared nodes)."""
    kind, level = graph.kind, graph.level
    label = route_label(kind, level)
    superior_of, tops = graph.superior_of, graph.tops
    facts = graph.facts
    unknown = [pk for pk in employer_ids if pk not in facts]
    if unknown:
        facts = {**facts, **_org_facts(unknown)}
    office_types = office_node_types(kind, level, tops)
    # node → (nodes from it to the end of its way, missing-link code, organization concerned)
    memo: dict[int, tuple[tuple[RouteNode, ...], str, str]] = {}

    def fact(pk: int) -> tuple[str, str]:
        return facts.get(pk) or ("（未知机构）", OrgStatus.DEREGISTERED)

    def way_up(start: int) -> tuple[tuple[RouteNode, ...], str, str]:
        pending: list[int] = []
        on_path: set[int] = set()
        node = start
        while node not in memo:
            if node in on_path:  # a cycle: end the way at the last node before it repeats
                end = pending.pop()
                memo[end] = (
                    (RouteNode(end, fact(end)[0], graph.node_type_of.get(end, "")),),
                    _CYCLE,
                    fact(end)[0],
                )
                break
            pending.append(node)
            on_path.add(node)
            superior = superior_of.get(node)
            if superior is None:
                end = pending.pop()
                name, status = fact(end)
                valid = end in tops
                node_type = (office_types.get(end, "") if valid else "") or (
                    graph.node_type_of.get(end, "")
                )
                code = _OK if valid else _NO_SUPERIOR
                if status != OrgStatus.ACTIVE:
                    code = _INACTIVE
                memo[end] = ((RouteNode(end, name, node_type, is_top=valid),), code, name)
                break
            node = superior
        for pk in reversed(pending):
            above, code, culprit = memo[superior_of[pk]]
            name, status = fact(pk)
            if status != OrgStatus.ACTIVE:
                code, culprit = _INACTIVE, name
            elif code == _NO_SUPERIOR:
                code = _BAD_TOP
            node_obj = RouteNode(pk, name, graph.node_type_of.get(pk, ""))
            memo[pk] = ((node_obj, *above), code, culprit)
        return memo[start]

    chains: dict[int, RouteChain] = {}
    for employer in employer_ids:
        nodes, code, culprit = way_up(employer)
        chains[employer] = RouteChain(
            employer_id=employer,
            kind=kind,
            level=level,
            nodes=list(nodes),
            missing=_missing_message(code, culprit, kind, label),
        )
    return chains


def route_resolve_many(
    employer_ids: Iterable[int], kind: str, level: str, *, today: dt.date | None = None
) -> dict[int, RouteChain]:
    """Resolve many employers at once: one load of the route, a memoised walk in memory."""
    ids = list(dict.fromkeys(employer_ids))
    return _chains(RouteGraph.load(kind, level, today=today, with_facts=True), ids)


def route_resolve(
    employer: Organization | int, kind: str, level: str, *, today: dt.date | None = None
) -> RouteChain:
    """The chain from ``employer`` to the top of the (kind, level) route, or the missing link."""
    employer_id = employer if isinstance(employer, int) else employer.pk
    graph = _hop_graph(kind, level, employer_id, today=today)
    return _chains(graph, [employer_id])[employer_id]

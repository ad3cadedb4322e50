"""Route resolution employer → top for 10,000 applications in one batch (issue 3: ≤ 1 s).

The organization tree (province, 13 cities, 88 districts, 1,056 departments, 10,000 employers,
about 3 % of them deregistered) is bulk-inserted, the province becomes the 初定 · 中级 and
初定 · 副高级 acceptance office, and both routes are bulk-inserted with the depth they have in
practice: employer → department (主管部门) → county → city → province, 11,157 edges each (the
second route only makes the table realistic). Then, for all 10,000 employers at once:

- the application: `zhicheng.routing.resolve.route_resolve_many(ids, "initial",
  "intermediate")` — one query for the route's active edges with the names and statuses of the
  organizations on them, one for the valid tops, a memoised walk in memory building every chain
  (nodes with names and node types, or the missing link: deregistered employers are reported);
- the floor: one raw SQL query fetching the same (kind, level) active edges (subordinate,
  superior) and a pure-Python dict walk from every employer to the top of its way.

Both the median of 5 runs, alternating (resolution only reads).
"""

from __future__ import annotations

import statistics
import time

from bench.results import Result

TITLE = "审核路径解析（10,000 个申报，一批）"
EMPLOYERS = 10_000
TARGET_S = 1.0
RUNS = 5
KIND, LEVEL = "initial", "intermediate"
OTHER_LEVEL = "senior_deputy"


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key="route_resolution.batch",
            name=f"审核路径解析，{EMPLOYERS:,} 个用人单位（一批）",
            db=db_label,
            unit="s",
            floor_name="一条原始 SQL 取同一路径的边 + 纯 Python 字典逐级上溯",
            target_kind="max",
            target=TARGET_S,
        )
    ]


def build_routes(tree: list, officer) -> int:
    """The province's acceptance offices (through the service) and both routes' edges
    (bulk-inserted). Returns the number of edges of one route."""
    from zhicheng.routing.models import RouteEdge
    from zhicheng.routing.services import acceptance_office_create

    province = tree[0]
    by_path = {org.path: org for org in tree}
    node_types = {2: "city_hr", 3: "county_hr", 4: "competent_dept", 5: "employer"}
    count = 0
    for level in (LEVEL, OTHER_LEVEL):
        acceptance_office_create(
            actor=officer,
            organization=province,
            node_type="province_hr",
            level=level,
            acquisition_method=KIND,
        )
        edges = [
            RouteEdge(
                kind=KIND,
                level=level,
                superior_id=by_path[org.path[:-4]].pk,
                subordinate_id=org.pk,
                node_type=node_types[org.depth],
                created_by=officer,
            )
            for org in tree[1:]
        ]
        RouteEdge.objects.bulk_create(edges, batch_size=2000)
        count = len(edges)
    return count


def floor_resolve(employer_ids: list[int]) -> tuple[float, int]:
    """Raw SQL for the edges + a dict walk; returns (seconds, employers that reach a top)."""
    from django.db import connection

    from zhicheng.routing.models import RouteEdge

    table = connection.ops.quote_name(RouteEdge._meta.db_table)
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT subordinate_id, superior_id FROM {table} "
            "WHERE kind = %s AND level = %s AND status = %s",
            [KIND, LEVEL, "active"],
        )
        superior_of = dict(cur.fetchall())
    tops = {}
    for employer in employer_ids:
        node = employer
        way = [node]
        while node in superior_of:
            node = superior_of[node]
            way.append(node)
        tops[employer] = way
    elapsed = time.perf_counter() - start
    return elapsed, len({way[-1] for way in tops.values()})


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.db import connection

    from bench.routing_import import load_tree
    from zhicheng.routing.resolve import route_resolve_many

    tree = load_tree()
    officer = make_officer(tree[0], "bench_route_resolution")
    edges = build_routes(tree, officer)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    employers = [org for org in tree if org.depth == 5]
    ids = [org.pk for org in employers]
    active = sum(1 for org in employers if org.status == "active")

    times, floors = [], []
    for _ in range(RUNS):
        floor_s, distinct_tops = floor_resolve(ids)
        floors.append(floor_s)
        start = time.perf_counter()
        chains = route_resolve_many(ids, KIND, LEVEL)
        times.append(time.perf_counter() - start)
    complete = [c for c in chains.values() if c.complete]
    if distinct_tops != 1 or len(chains) != EMPLOYERS or len(complete) != active:
        raise RuntimeError(
            f"resolved {len(chains)} chains, {len(complete)} complete (expected {active}); "
            f"floor reached {distinct_tops} tops"
        )
    depths = {len(c.nodes) for c in complete}
    if depths != {5}:
        raise RuntimeError(f"chain lengths {sorted(depths)}, expected 5")

    (result,) = planned(db_label)
    result.value, result.floor = statistics.median(times), statistics.median(floors)
    result.details = {
        "employers": EMPLOYERS,
        "complete": len(complete),
        "missing_link": EMPLOYERS - len(complete),
        "edges_per_route": edges,
        "routes_in_table": 2,
        "runs_s": [round(t, 3) for t in times],
        "floor_runs_s": [round(t, 4) for t in floors],
    }
    return [result]

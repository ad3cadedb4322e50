"""Typeahead over 200,000 organizations (issue 2: p95 ≤ 30 ms on PostgreSQL).

200,000 organizations (province → 13 cities → 88 districts → 12 departments each →
employers, realistic Chinese names, valid USCCs, 3 % deregistered) are bulk-inserted, then
VACUUM ANALYZEd (the steady state autovacuum brings). The search mix has 24 terms — 2–4
Chinese characters (common, rare, and one matching nothing), USCC prefixes and pinyin initials
such as `rlzy` — each asked by a province officer (scope: the whole tree) and a city officer.
Every case is measured three ways, back to back so they share the machine's load:

- the selector `zhicheng.orgs.selectors.organization_typeahead` (what every view calls);
- the HTTP endpoint `GET /api/v1/organizations/?search=` through Django's test client, logged
  in with a session as the UI's typeahead is (middleware, the session saved on every request
  for the idle timeout, DRF, JSON); the target applies to it as well. The same request with a
  token instead of a session is in the details (`http_token`);
- the floor: the very SQL the selector sent, replayed through the driver's own cursor
  (psycopg / sqlite3): the database's share of the time.

Five passes over the shuffled cases; each figure is the median of the five passes' p95.
On SQLite the numbers are for information (the target is for PostgreSQL).
"""

from __future__ import annotations

import random
import statistics
import time

from bench.results import Result, percentile

TITLE = "机构联想（typeahead）"
ORGANIZATIONS = 200_000
PASSES = 5
TARGET_MS = 30.0
FLOOR_NAME = "同一 SQL 经驱动游标直接执行"
KINDS = ("selector", "floor", "http", "http_token")

QUERIES = [
    # 2–4 Chinese characters: common, rarer, and one that matches nothing.
    "人力",
    "人力资源",
    "南京",
    "科技",
    "医院",
    "江宁",
    "生物医药",
    "妇幼保健",
    "华通",
    "吴中",
    "检测技术",
    "龙腾虎跃",
    # USCC prefixes.
    "91320109",
    "9132",
    "12320504",
    "113200",
    "91321306MA",
    "91320102MA0000038",
    # Pinyin initials.
    "rlzy",
    "kj",
    "yxgs",
    "swyy",
    "jcjs",
    "njs",
]


def planned(db_label: str) -> list[Result]:
    kind = "max" if db_label == "PostgreSQL" else "info"
    common = dict(db=db_label, unit="ms", floor_name=FLOOR_NAME, target_kind=kind, target=TARGET_MS)
    return [
        Result(
            key="typeahead.selector",
            name=f"机构联想 p95，{ORGANIZATIONS:,} 个机构（selector）",
            **common,
        ),
        Result(
            key="typeahead.http",
            name=f"机构联想 p95，{ORGANIZATIONS:,} 个机构（HTTP ?search=）",
            **common,
        ),
    ]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from bench.data import insert_organizations
    from zhicheng.orgs.models import Organization
    from zhicheng.orgs.selectors import organization_typeahead

    start = time.perf_counter()
    count = insert_organizations(ORGANIZATIONS)
    with connection.cursor() as cur:
        # The steady state autovacuum brings: statistics, and the GIN pending lists merged.
        cur.execute(
            "VACUUM ANALYZE orgs_organization" if connection.vendor == "postgresql" else "ANALYZE"
        )
    setup_s = time.perf_counter() - start

    province = Organization.objects.get(depth=1)
    city = Organization.objects.filter(depth=2).order_by("path")[4]
    officers = [make_officer(province, "bench_ta_province"), make_officer(city, "bench_ta_city")]
    # The UI's way in (session cookie; the session is saved on every request for the idle
    # timeout) and an API client's (token, no session).
    clients, tokens = {}, {}
    token_client = Client()
    for officer in officers:
        clients[officer.username] = Client()
        clients[officer.username].force_login(officer)
        token, _ = Token.objects.get_or_create(user=officer)
        tokens[officer.username] = {"Authorization": f"Token {token.key}"}

    # Warm up: the officers' cached roles and organization, the plans, the buffer cache.
    hits: dict[str, int] = {}
    for officer in officers:
        for q in QUERIES:
            hits[f"{officer.username}:{q}"] = len(organization_typeahead(user=officer, search=q))
            clients[officer.username].get("/api/v1/organizations/", {"search": q})

    raw = connection.connection  # the psycopg / sqlite3 connection itself, no Django
    placeholder = "?" if connection.vendor == "sqlite" else None
    passes: list[dict[str, list[float]]] = []
    by_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    rng = random.Random(7)
    for _ in range(PASSES):
        cases = [(officer, q) for officer in officers for q in QUERIES]
        rng.shuffle(cases)
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        for officer, q in cases:
            statements: list[tuple[str, tuple]] = []

            def capture(execute, sql, params, many, context, statements=statements):
                statements.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(capture):
                t = time.perf_counter()
                organization_typeahead(user=officer, search=q)
                times["selector"].append(_ms(t))
            by_query[q].append(times["selector"][-1])

            # The search itself is the first statement on the organizations table (the second
            # one, if any, loads the parents of what was found).
            sql, params = next(s for s in statements if "orgs_organization" in s[0])
            if placeholder:
                sql = sql.replace("%s", placeholder)
            t = time.perf_counter()
            cur = raw.cursor()
            cur.execute(sql, params)
            while cur.description is None and cur.nextset():  # past SET LOCAL, if any
                pass
            cur.fetchall()
            cur.close()
            times["floor"].append(_ms(t))

            t = time.perf_counter()
            response = clients[officer.username].get("/api/v1/organizations/", {"search": q})
            times["http"].append(_ms(t))
            if response.status_code != 200:
                raise RuntimeError(f"typeahead endpoint answered {response.status_code} for {q!r}")

            t = time.perf_counter()
            response = token_client.get(
                "/api/v1/organizations/", {"search": q}, headers=tokens[officer.username]
            )
            times["http_token"].append(_ms(t))
            if response.status_code != 200:
                raise RuntimeError(f"token request answered {response.status_code} for {q!r}")
        passes.append(times)

    def p95(kind: str) -> float:
        return statistics.median(percentile(p[kind], 95) for p in passes)

    details = {
        "organizations": count,
        "setup_s": round(setup_s, 1),
        "samples_per_pass": len(officers) * len(QUERIES),
        "passes_p95_ms": {
            kind: [round(percentile(p[kind], 95), 2) for p in passes] for kind in KINDS
        },
        "p50_ms": {
            kind: round(statistics.median(x for p in passes for x in p[kind]), 2) for kind in KINDS
        },
        "selector_max_ms_by_query": {q: round(max(v), 2) for q, v in by_query.items()},
        "results_by_officer_and_query": hits,
    }
    selector, http = planned(db_label)
    selector.value, selector.floor, selector.details = p95("selector"), p95("floor"), details
    http.value, http.floor = p95("http"), p95("floor")
    return [selector, http]

"""职称申报 at province scale (issue 4), on PostgreSQL: 1,000,000 applications.

Set-up (`bench/applications_data.py`, COPY): 60,000 organizations (the typeahead benchmark's
tree), 500,000 persons with applicant logins, 1,000,000 applications of 2021–2026 in every state
with their stored routes (about 3.9 million route nodes) and 提交 records, 1,000 blacklist
entries in force; then VACUUM ANALYZE. Measured:

- **待审核 list** (`GET /applications/`, 1.12's default 待我审核) and **the 1.12 query page**
  (`GET /applications/?scope=all&…` with the filters 姓名 substring / full name, 身份证号, 职称,
  级别, 取得方式, 年度, 状态 and combinations, plus page 2 and 1.24's page), rendered whole
  through Django's test client with a logged-in session, by officers of the province, two city
  bureaus (one with 30,000 applications waiting), a county bureau, a competent department and an
  employer. Ten passes over the shuffled cases; p95 of all samples. The floor is the
  application SQL the page sent (the capped count and the page of rows), replayed through
  psycopg's own cursor.
- **批量审核通过 of 1,000** through `POST /api/v1/applications/batch-approve/` (token), three
  times on fresh rows; the slowest run counts. The floor: the same row locks, one UPDATE of the
  1,000 rows and one INSERT of their review records in raw SQL (rolled back).
- **审核通过 over HTTP**: gunicorn with 2 worker processes serves the project (production
  settings, DEBUG off); wrk (2 threads, 8 connections, 20 s after a 3 s warm-up) posts
  `/api/v1/applications/<id>/approve/` with a token, each request a different application
  waiting at the officer's city bureau. Every response must be 200 and every approval must be
  in the database (review records counted afterwards). The floor is wrk against `/healthz`
  on the same server (the HTTP stack without the application).
"""

from __future__ import annotations

import os
import sys
import time

from bench.applications_http import measure_http
from bench.list_pages import measure_list_pages
from bench.results import Result, percentile

TITLE = "职称申报（100 万件）"
DATABASES = ("postgresql",)
ORGANIZATIONS = 60_000
# ZHICHENG_BENCH_APPLICATIONS scales a trial run down (persons follow at half).
APPLICATIONS = int(os.environ.get("ZHICHENG_BENCH_APPLICATIONS", 1_000_000))
PERSONS = APPLICATIONS // 2
BLACKLISTED = 1_000
HTTP_POOL = min(30_000, APPLICATIONS // 20)
BATCH_POOL = 3_000
BATCH_SIZE = 1_000
PASSES = 10
LIST_TARGET_MS = 100.0
BATCH_TARGET_S = 5.0
RATE_TARGET = 200.0
LIST_FLOOR = "同一组申报 SQL 经驱动游标直接执行"


def planned(db_label: str) -> list[Result]:
    common = dict(db=db_label, target_kind="max")
    return [
        Result(
            key="applications.todo",
            name="待审核列表 p95，100 万件申报（整页）",
            unit="ms",
            floor_name=LIST_FLOOR,
            target=LIST_TARGET_MS,
            **common,
        ),
        Result(
            key="applications.query",
            name="1.12 查询页 p95，100 万件申报（各种筛选）",
            unit="ms",
            floor_name=LIST_FLOOR,
            target=LIST_TARGET_MS,
            **common,
        ),
        Result(
            key="applications.batch",
            name="批量审核通过 1,000 件（API）",
            unit="s",
            floor_name="同样的加锁、UPDATE 与 INSERT 原生 SQL",
            target=BATCH_TARGET_S,
            **common,
        ),
        Result(
            key="applications.http_rate",
            name="审核通过吞吐（HTTP，2 个 worker 进程，wrk）",
            unit="req/s",
            floor_name="同一服务器 /healthz",
            target_kind="min",
            target=RATE_TARGET,
            db=db_label,
        ),
    ]


# --- set-up ---------------------------------------------------------------------------------


def _setup(make_officer) -> dict:
    from django.db import connection

    from bench.applications_data import Pool, insert_applications, insert_blacklist, insert_persons
    from bench.data import insert_organizations
    from zhicheng.orgs.models import Organization

    timings = {}
    t = time.perf_counter()
    insert_organizations(ORGANIZATIONS)
    timings["organizations_s"] = time.perf_counter() - t
    cities = list(Organization.objects.filter(depth=2).order_by("path"))
    nanjing, wuxi, suzhou = cities[0], cities[1], cities[4]
    t = time.perf_counter()
    first_person, first_user = insert_persons(PERSONS)
    timings["persons_s"] = time.perf_counter() - t
    pools = {"http": Pool(nanjing.pk, HTTP_POOL), "batch": Pool(suzhou.pk, BATCH_POOL)}
    t = time.perf_counter()
    data = insert_applications(
        APPLICATIONS,
        first_person=first_person,
        first_user=first_user,
        persons=PERSONS,
        pools=pools,
        committee_id=None,
    )
    timings["applications_s"] = time.perf_counter() - t
    province = Organization.objects.get(depth=1)
    officers = {
        "province": make_officer(province, "bench_app_province"),
        "city_nj": make_officer(nanjing, "bench_app_nj"),
        "city_wx": make_officer(wuxi, "bench_app_wx"),
        "city_sz": make_officer(suzhou, "bench_app_sz"),
    }
    insert_blacklist(
        BLACKLISTED,
        actor=officers["province"],
        organization=province,
        exclude={pk for pool in pools.values() for pk in pool.ids},
    )
    # A county bureau, a department and an employer with work waiting (busiest of each).
    with connection.cursor() as cur:
        for key, depth in (("county", 3), ("department", 4), ("employer", 5)):
            cur.execute(
                "SELECT a.current_organization_id FROM applications_application a "
                "JOIN orgs_organization o ON o.id = a.current_organization_id "
                "WHERE a.status = 'under_review' AND o.depth = %s "
                "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
                [depth],
            )
            org = Organization.objects.get(pk=cur.fetchone()[0])
            officers[key] = make_officer(org, f"bench_app_{key}", employer=(depth == 5))
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = time.perf_counter() - t
    return {"data": data, "officers": officers, "timings": timings}


# --- list pages -----------------------------------------------------------------------------


def _list_cases(officers: dict, sample) -> list[tuple[str, str, str, dict]]:
    """(kind, officer, path, query) — kind "todo" or "query"."""
    cases = [("todo", key, "/applications/", {}) for key in officers]
    cases.append(("todo", "province", "/applications/", {"page": "2"}))
    cases.append(("todo", "city_nj", "/applications/", {"page": "3"}))
    filters = [
        {},
        {"name": "王"},
        {"name": sample["name"]},
        {"id_number": sample["id_number"]},
        {"title": str(sample["title_id"])},
        {"level": "senior_deputy"},
        {"acquisition_method": "initial"},
        {"year": "2024"},
        {"status": "approved"},
        {"status": "returned"},
        {"year": "2025", "status": "under_review", "level": "intermediate"},
        {"name": "李", "year": "2023", "acquisition_method": "recognition"},
    ]
    for key in ("province", "city_wx", "county"):
        for query in filters:
            cases.append(("query", key, "/applications/", {"scope": "all", **query}))
    cases.append(("query", "city_wx", "/applications/trace/", {}))
    cases.append(("query", "province", "/applications/", {"scope": "all", "page": "5"}))
    return cases


def _measure_lists(officers: dict) -> dict:
    from zhicheng.applications.models import Application

    waiting = Application.objects.filter(status="under_review").order_by("-id")
    one = waiting.select_related("person").first()
    sample = {
        "name": one.person.name,
        "id_number": one.person.id_number,
        "title_id": one.title_id,
    }
    return measure_list_pages(
        officers,
        _list_cases(officers, sample),
        floor_tables=("applications_application",),
        passes=PASSES,
    )


# --- batch approval -------------------------------------------------------------------------


def _raw_batch_floor(ids: list[int], actor_id: int) -> float:
    """The database work of a batch approval in raw SQL, rolled back (the rows are approved
    for real by the measured run that follows)."""
    from django.db import connection
    from psycopg import Rollback

    raw = connection.connection
    elapsed = 0.0
    with raw.transaction() as tx:
        t = time.perf_counter()
        cur = raw.cursor()
        cur.execute(
            "SELECT id FROM applications_application WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            [ids],
        )
        cur.fetchall()
        cur.execute(
            "UPDATE applications_application SET route_position = route_position + 1, "
            "version = version + 1, current_organization_id = "
            "(route_chain ->> (route_position + 1))::bigint, updated_at = now() "
            "WHERE id = ANY(%s)",
            [ids],
        )
        cur.execute(
            "INSERT INTO applications_reviewrecord (action, actor_name, opinion, reasons, "
            "from_status, to_status, created_at, actor_id, application_id, "
            "from_organization_id, organization_id, to_organization_id, acceptance_number, "
            "modules) "
            "SELECT 'approve', 'x', '', '[]', 'under_review', 'under_review', now(), %s, id, "
            "(route_chain ->> (route_position - 1))::bigint, "
            "(route_chain ->> (route_position - 1))::bigint, current_organization_id, '', '[]' "
            "FROM applications_application WHERE id = ANY(%s)",
            [actor_id, ids],
        )
        elapsed = time.perf_counter() - t
        cur.close()
        raise Rollback(tx)
    return elapsed


def _measure_batch(officer, ids: list[int]) -> dict:
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=officer)
    client = Client(headers={"Authorization": f"Token {token.key}"})
    runs, floors = [], []
    for n in range(len(ids) // BATCH_SIZE):
        chunk = ids[n * BATCH_SIZE : (n + 1) * BATCH_SIZE]
        floors.append(_raw_batch_floor(chunk, officer.pk))
        t = time.perf_counter()
        response = client.post(
            "/api/v1/applications/batch-approve/",
            {"items": [{"id": pk} for pk in chunk]},
            content_type="application/json",
        )
        runs.append(time.perf_counter() - t)
        body = response.json()
        if response.status_code != 200 or len(body.get("approved", [])) != len(chunk):
            raise RuntimeError(f"batch approval answered {response.status_code}: {str(body)[:300]}")
    return {"runs_s": runs, "floors_s": floors}


def _progress(text: str) -> None:
    print(f"[applications {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- the benchmark --------------------------------------------------------------------------


def run(*, db_label: str, make_officer) -> list[Result]:
    todo, query, batch, rate = planned(db_label)
    setup = _setup(make_officer)
    officers, data = setup["officers"], setup["data"]
    _progress(f"set up: {setup['timings']}")
    lists = _measure_lists({k: v for k, v in officers.items() if k != "city_sz"})
    _progress("lists measured")
    s = lists["samples"]
    for result, kind in ((todo, "todo"), (query, "query")):
        result.value = percentile(s[kind], 95)
        result.floor = percentile(s[f"floor_{kind}"], 95)
        result.details = {
            "samples": len(s[kind]),
            "p50_ms": round(percentile(s[kind], 50), 1),
            "max_ms": round(max(s[kind]), 1),
        }
    query.details["slowest_cases_ms"] = dict(
        sorted(((k, round(v, 1)) for k, v in lists["worst"].items()), key=lambda kv: -kv[1])[:8]
    )
    todo.details["setup"] = {
        **{k: round(v, 1) for k, v in setup["timings"].items()},
        "applications": data.applications,
        "by_status": data.by_status,
        "route_nodes": data.route_nodes,
        "review_records": data.review_records,
        "persons": data.persons,
    }

    batch_ids = data.pools["batch"].ids
    measured = _measure_batch(officers["city_sz"], batch_ids)
    batch.value = max(measured["runs_s"])
    batch.floor = max(measured["floors_s"])
    batch.details = {k: [round(x, 3) for x in v] for k, v in measured.items()}

    _progress(f"batch measured: {batch.details}")
    http = measure_http(officers["city_nj"], data.pools["http"].ids)
    run_ = http["run"]
    rate.value = run_["rate"]
    rate.floor = http["floor"]["rate"]
    rate.details = http
    if run_["errors"] or run_["approvals_recorded"] < run_["requests"]:
        rate.skipped = (
            f"error: {run_['errors']} failed requests, {run_['approvals_recorded']} approvals "
            f"recorded for {run_['requests']} requests"
        )
    return [todo, query, batch, rate]

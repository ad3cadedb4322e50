"""The certificate side's list pages over a million certificates (DESIGN §5: list pages over
1,000,000 applications and certificates, p95 ≤ 100 ms), on PostgreSQL.

Set-up: ``bench.verify_scale``'s generator (one certificate issued through the real service,
copied server-side; every index and constraint rebuilt, then ``VACUUM ANALYZE``) makes
``ZHICHENG_BENCH_CERT_LIST_ROWS`` (default 1,000,000) certificates of the Nanjing city bureau's
issuing unit, each with its person, title held and number, every 50th 已撤销. Their 1.18 outbox
rows: the oldest 90 % 已上报, every 1,000th of those 失败 instead; the newest tenth 未上报.

Measured (``bench.list_pages``): 1.20 证书查询 and 1.19 证书撤销 (default, pages 2 and 500,
姓名, 证书编号 prefix, 状态 已撤销, 发证单位), 1.18 证书报送人社部 (default — 未上报 first —,
each 上报状态, 发证日期 range, 姓名) and 1.17 证书发放 (default, 是否发放 否 / 是), by the
city bureau's officer and the province's. Ten shuffled passes; p95 of all samples per group.
The floor: the SQL each page sent on the certificate and title-held tables, replayed through
psycopg's own cursor. The runner drops the database after.
"""

from __future__ import annotations

import os
import time

from bench.list_pages import measure_list_pages
from bench.results import Result, percentile

TITLE = "证书列表页（100 万份证书）"
DATABASES = ("postgresql",)
ROWS = int(os.environ.get("ZHICHENG_BENCH_CERT_LIST_ROWS", 1_000_000))
PASSES = 10
TARGET_MS = 100.0
FLOOR = "同一组证书 SQL 经驱动游标直接执行"
# ZHICHENG_BENCH_CERT_LIST_SKIP=report leaves a group out (its row says so): 1.18's list sorts
# the whole scope by each certificate's report state, seconds a page at 100,000 already.
SKIP = {g for g in os.environ.get("ZHICHENG_BENCH_CERT_LIST_SKIP", "").split(",") if g}
GROUPS = {
    "query": "1.20 证书查询 / 1.19 证书撤销列表 p95",
    "report": "1.18 证书报送人社部列表 p95",
    "issue": "1.17 证书发放列表 p95",
}


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key=f"certificate_lists.{kind}",
            name=f"{label}，{ROWS:,} 份证书",
            db=db_label,
            unit="ms",
            floor_name=FLOOR,
            target_kind="max",
            target=TARGET_MS,
        )
        for kind, label in GROUPS.items()
    ]


def _reports() -> int:
    """The 1.18 outbox rows of the generated certificates (module doc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM certificates_certificate")
        low, high = cursor.fetchone()
        reported_below = low + (high - low) * 9 // 10
        cursor.execute(
            "INSERT INTO certificates_nationalreport (kind, status, payload, attempts,"
            " last_error, next_attempt_at, claimed_at, delivered_at, created_at,"
            " certificate_id, created_by_id)"
            " SELECT 'issue', CASE WHEN id %% 1000 = 0 THEN 'failed' ELSE 'delivered' END,"
            " NULL, CASE WHEN id %% 1000 = 0 THEN 8 ELSE 1 END,"
            " CASE WHEN id %% 1000 = 0 THEN 'HTTP 503' ELSE '' END, issued_at, NULL,"
            " CASE WHEN id %% 1000 = 0 THEN NULL ELSE issued_at + interval '1 hour' END,"
            " issued_at, id, issued_by_id FROM certificates_certificate WHERE id <= %s",
            [reported_below],
        )
        made = cursor.rowcount
        # Every table's statistics, as autovacuum keeps them in production; the generator
        # analyzed only the tables it filled.
        cursor.execute("VACUUM ANALYZE")
    return made


def _cases(first_year: int) -> list[tuple[str, str, str, dict]]:
    from bench.verify_scale import NAME_PREFIX, UNIT_CODE

    officers = ("city", "province")
    query_filters = [
        {},
        {"page": "2"},
        {"page": "500"},
        {"name": f"{NAME_PREFIX}{ROWS // 3}"},
        {"name": "王"},
        {"number": f"{UNIT_CODE}{first_year}00012"},
        {"status": "revoked"},
        {"issuing_unit_name": "南京"},
    ]
    report_filters = [
        {},
        {"page": "2"},
        {"report_status": "none"},
        {"report_status": "delivered"},
        {"report_status": "failed"},
        {"issued_from": f"{first_year}-01-01", "issued_to": f"{first_year}-12-31"},
        {"name": f"{NAME_PREFIX}{ROWS // 7}"},
    ]
    cases = []
    for key in officers:
        cases += [("query", key, "/certificates/", q) for q in query_filters]
        cases += [("query", key, "/certificates/revoke/", q) for q in ({}, {"status": "valid"})]
        cases += [("report", key, "/certificates/national-reports/", q) for q in report_filters]
        cases += [
            ("issue", key, "/certificates/issue/", q)
            for q in ({}, {"issued": "0"}, {"issued": "1"})
        ]
    return cases


def run(*, db_label: str, make_officer) -> list[Result]:
    from bench.verify_scale import _generate, _template
    from zhicheng.accounts.models import User
    from zhicheng.orgs.models import Organization

    rows = planned(db_label)
    t = time.perf_counter()
    template = _template(make_officer)
    generated = _generate(ROWS, template)
    reports = _reports()
    setup_s = time.perf_counter() - t
    officers = {
        "city": User.objects.get(pk=template["officer"]),
        "province": make_officer(Organization.objects.get(depth=1), "bench_cert_province"),
    }
    measured = measure_list_pages(
        officers,
        [case for case in _cases(template["first_year"]) if case[0] not in SKIP],
        floor_tables=("certificates_certificate", "applications_titleholding"),
        passes=PASSES,
    )
    samples = measured["samples"]
    for result, kind in zip(rows, GROUPS, strict=True):
        if kind in SKIP:
            result.skipped = "未测（ZHICHENG_BENCH_CERT_LIST_SKIP）"
            continue
        result.value = percentile(samples[kind], 95)
        result.floor = percentile(samples[f"floor_{kind}"], 95)
        result.details = {
            "samples": len(samples[kind]),
            "p50_ms": round(percentile(samples[kind], 50), 1),
            "max_ms": round(max(samples[kind]), 1),
        }
    rows[0].details["slowest_cases_ms"] = dict(
        sorted(((k, round(v, 1)) for k, v in measured["worst"].items()), key=lambda kv: -kv[1])[:10]
    )
    rows[0].details["setup"] = {
        "seconds": round(setup_s, 1),
        "certificates": generated["certificates"],
        "national_reports": reports,
        "database_mb": generated["database_mb"],
        "load_average": os.getloadavg(),
    }
    return rows

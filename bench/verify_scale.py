"""Public 证书核验 over HTTP with tens of millions of certificates (issue 13), on PostgreSQL:
gunicorn (``gunicorn.conf.py``: sync workers, ``ZHICHENG_PROXY_COUNT=1``, Redis for the rate-limit
counts, as ``bench/surge.py`` starts it) answering wrk (``bench/verify.lua``).

Set-up: one certificate issued through the real service (render, sign, store) gives a template
row in each of its tables — the person, the title held, the certificate number (and its
generation batch), the certificate and its 证书核验 record (``certificates/models_verification.py``,
the one row a verification reads). ``ZHICHENG_BENCH_VERIFY_ROWS`` (default 50,000,000) copies of
them are generated server-side (``INSERT … SELECT … FROM generate_series``, in slices of a
million rows), each with its own person (``持证人<g>``, a 证件号码 of its own), title held,
number (the unit's code, a year counted back from last year, a six-digit sequence: 999,999
numbers a year, one generation batch per year), certificate (every 50th 已撤销, every 50th a
补发 second copy) and record, all foreign keys valid. The tables' secondary indexes and
constraints (unique, foreign keys) are dropped before the load and rebuilt after it, then
``VACUUM ANALYZE`` (``ZHICHENG_BENCH_VERIFY_LEAN=1``: only the verification table's are
rebuilt, see ``LEAN``). The generation time per million rows and the database's size are
reported. A run that would fill more than 70 % of the database's free disk is skipped.

Measured: wrk for 20 s (after a 5 s warm-up) on the page (``/verify/?number=…&name=…``) and
20 s on the machines' JSON form (``/api/v1/certificate-verification/``), each request a random
one of the generated certificates from another client address (``X-Forwarded-For``, so the
per-address limit does not trip); a 200 without a verdict counts as an error. The floor:
``/healthz`` (one ``SELECT 1``) on the same server with the same connections, 10 s. Page, API
and floor are measured three times in turn (``ZHICHENG_BENCH_VERIFY_REPEATS``) and each figure
is the median of its three: on a shared 2-core machine one 20 s window's p99 moved by a few
ms from run to run. Every run is in the details. Targets: ≥ 1,000 verifications/s, p99 ≤ 20 ms,
0 errors (over all runs). The runner drops the database after.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.results import Result
from bench.surge import FLOOR_LUA, _free_port, _serve, _wrk

TITLE = "证书公开核验（大规模证书库，gunicorn + PostgreSQL）"
DATABASES = ("postgresql",)
ROWS = int(os.environ.get("ZHICHENG_BENCH_VERIFY_ROWS", 50_000_000))
SECONDS = int(os.environ.get("ZHICHENG_BENCH_VERIFY_SECONDS", 20))
WARMUP_SECONDS = 5
REPEATS = int(os.environ.get("ZHICHENG_BENCH_VERIFY_REPEATS", 3))
THREADS = int(os.environ.get("ZHICHENG_BENCH_VERIFY_THREADS", 4))
CONNECTIONS = int(os.environ.get("ZHICHENG_BENCH_VERIFY_CONNECTIONS", 16))
RATE_TARGET = 1000.0
P99_TARGET_MS = 20.0
PER_YEAR = 999_999  # six-digit sequences 1 … 999,999 in a year
SLICE = 1_000_000
UNIT_CODE = "32010001"
NAME_PREFIX = "持证人"
FLOOR = "同一服务器、同样连接的 /healthz"
TABLES = (
    "persons_person",
    "applications_titleholding",
    "certificates_certificatenumber",
    "certificates_certificate",
)
# 证书核验's own table (certificates/models_verification.py), one row per certificate: the only
# one a verification reads.
RECORDS = "certificates_verificationrecord"
# ZHICHENG_BENCH_VERIFY_LEAN=1: the other tables' secondary indexes and constraints are not
# rebuilt after the load (their primary keys stay). A verification never reads those tables;
# at 50,000,000 certificates their indexes are about 20 GB of disk that this machine's shared
# disk cannot spare. The rows' names say so.
LEAN = os.environ.get("ZHICHENG_BENCH_VERIFY_LEAN") == "1"
# Disk a million generated certificates take (measured: 1.40 GB with every index, 0.86 GB
# lean), and the share of the free disk a run may fill: the disk may be shared.
GB_PER_MILLION = 0.86 if LEAN else 1.40
DISK_SHARE = 0.7


def planned(db_label: str) -> list[Result]:
    rows = f"{ROWS:,} 份证书" + ("，其余表未建二级索引" if LEAN else "")
    common = dict(db=db_label, floor_name=FLOOR)
    return [
        Result(
            key="verify_scale.page_rate",
            name=f"证书核验页面吞吐（{rows}）",
            unit="req/s",
            target_kind="min",
            target=RATE_TARGET,
            **common,
        ),
        Result(
            key="verify_scale.page_p99",
            name=f"证书核验页面 p99（{rows}）",
            unit="ms",
            target_kind="max",
            target=P99_TARGET_MS,
            **common,
        ),
        Result(
            key="verify_scale.api_rate",
            name=f"证书核验 JSON 接口吞吐（{rows}）",
            unit="req/s",
            target_kind="min",
            target=RATE_TARGET,
            **common,
        ),
        Result(
            key="verify_scale.api_p99",
            name=f"证书核验 JSON 接口 p99（{rows}）",
            unit="ms",
            target_kind="max",
            target=P99_TARGET_MS,
            **common,
        ),
        Result(
            key="verify_scale.errors",
            name="核验错误数（非 200、未找到、连接错误；应为 0）",
            db=db_label,
            unit="",
            target_kind="max",
            target=0,
        ),
        Result(
            key="verify_scale.generate",
            name="生成证书库（含重建索引），每百万份",
            db=db_label,
            unit="s",
            target_kind="info",
        ),
    ]


# --- set-up ---------------------------------------------------------------------------------


def _template(make_officer) -> dict:
    """One certificate issued through the real service: the rows every generated one copies."""
    from django.utils import timezone

    from zhicheng.catalog.models import AcquisitionMethod, Title, TitleLevel
    from zhicheng.certificates import services
    from zhicheng.certificates.services import issuing
    from zhicheng.orgs.demo import load_demo_organizations
    from zhicheng.persons.models import Person
    from zhicheng.titles.models import TitleHolding

    orgs = load_demo_organizations()
    officer = make_officer(orgs["city_nj"], "bench_verify_city")
    unit = services.issuing_unit_create(actor=officer, organization=orgs["city_nj"], code=UNIT_CODE)
    year = timezone.localdate().year
    services.certificate_numbers_generate(
        actor=officer, issuing_unit=unit, year=year, start=1, end=1
    )
    title = Title.objects.filter(level=TitleLevel.ASSISTANT).order_by("pk").first()
    person = Person.objects.create(id_number="320102199001011234", name=f"{NAME_PREFIX}0")
    holding = TitleHolding.objects.create(
        person=person,
        title=title,
        level=title.level,
        acquisition_method=AcquisitionMethod.INITIAL,
        approved_on=timezone.localdate(),
        approving_organization=orgs["city_nj"],
    )
    certificate = issuing.certificate_issue(actor=officer, holding=holding.pk, issuing_unit=unit)
    # Generated numbers count back from last year: this year's pool stays the template's.
    return {
        "officer": officer.pk,
        "person": person.pk,
        "holding": holding.pk,
        "number": certificate.number_id,
        "batch": certificate.number.batch_id,
        "certificate": certificate.pk,
        "first_year": year - 1,
    }


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _clone(
    cursor, table: str, template_id: int, overrides: dict[str, str], lo: int, hi: int, key="id"
):
    """Rows ``lo`` … ``hi`` (the series' ``g``) of ``table``: the template row's values with
    ``overrides`` (SQL expressions of ``g`` and the template row ``t``, whose primary key
    ``key`` is ``template_id``)."""
    columns = _columns(cursor, table)
    names = ", ".join(f'"{c}"' for c in columns)
    values = [overrides.get(c, f't."{c}"') for c in columns]
    cursor.execute(
        f"INSERT INTO {table} ({names})"
        f" SELECT {', '.join(values)} FROM {table} t, generate_series(%s::bigint, %s::bigint) g"
        f' WHERE t."{key}" = %s',
        [lo, hi, template_id],
    )


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def _secondary(cursor) -> list[tuple[str, str, str, str]]:
    """The tables' unique and foreign-key constraints and their other indexes (not the primary
    keys: ids ascend, so the load only appends to them): (kind, table, drop, create)."""
    found = []
    for table in (*TABLES, RECORDS):
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
            [table],
        )
        for name, kind, definition in cursor.fetchall():
            found.append(
                (
                    "unique" if kind == "u" else "foreign key",
                    table,
                    f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                    f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
                )
            )
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = %s::regclass AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            found.append(("index", table, f'DROP INDEX "{name}"', definition))
    return found


def _generate(rows: int, template: dict) -> dict:
    """Generate ``rows`` certificates (module doc); returns the timings and sizes."""
    from django.db import connection

    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET synchronous_commit = off")
        base = {table: _max_id(cursor, table) for table in TABLES}
        batches = _max_id(cursor, "certificates_certificatenumberbatch")
        years = (rows + PER_YEAR - 1) // PER_YEAR
        first_year = template["first_year"]
        # One generation batch per year of numbers, as 生成证书编号 would have written them.
        _clone(
            cursor,
            "certificates_certificatenumberbatch",
            template["batch"],
            {
                "id": f"{batches} + g",
                "year": f"{first_year} + 1 - g",
                "start": "1",
                "end": str(PER_YEAR),
            },
            1,
            years,
        )
        secondary = _secondary(cursor)
        t = time.perf_counter()
        for _, _, drop, _ in sorted(secondary, key=lambda s: s[0] != "foreign key"):
            cursor.execute(drop)
        timings["drop_s"] = time.perf_counter() - t
        block = f"((g - 1) / {PER_YEAR})"
        p, h, n, c = (base[table] for table in TABLES)
        overrides = {
            "persons_person": {
                "id": f"{p} + g",
                "id_number": "'320102' || lpad(g::text, 11, '0') || '0'",
                "name": f"'{NAME_PREFIX}' || g",
                "user_id": "NULL",
            },
            "applications_titleholding": {
                "id": f"{h} + g",
                "person_id": f"{p} + g",
                "application_id": "NULL",
            },
            "certificates_certificatenumber": {
                "id": f"{n} + g",
                "year": f"{first_year} - {block}",
                "sequence": f"(g - 1) %% {PER_YEAR} + 1",
                "number": f"'{UNIT_CODE}' || ({first_year} - {block})::text"
                f" || lpad(((g - 1) %% {PER_YEAR} + 1)::text, 6, '0')",
                "batch_id": f"{batches} + 1 + {block}",
            },
            RECORDS: {
                "certificate_id": f"{c} + g",
                "number": f"'{UNIT_CODE}' || ({first_year} - {block})::text"
                f" || lpad(((g - 1) %% {PER_YEAR} + 1)::text, 6, '0')",
                "holder_name": f"'{NAME_PREFIX}' || g",
                # mask_id_number of the person's 证件号码 below: region, eight *, last four.
                "masked_id_number": "'320102********' || right(lpad(g::text, 11, '0') || '0', 4)",
                "issued_at": f"t.issued_at - (1 + {block}) * interval '1 year'",
                "certificate_status": "CASE WHEN g %% 50 = 0 THEN 'revoked' ELSE t.certificate_status END",
                "copy": "CASE WHEN g %% 50 = 1 THEN 2 ELSE t.copy END",
            },
            "certificates_certificate": {
                "id": f"{c} + g",
                "holding_id": f"{h} + g",
                "number_id": f"{n} + g",
                "issued_at": f"t.issued_at - (1 + {block}) * interval '1 year'",
                "status": "CASE WHEN g %% 50 = 0 THEN 'revoked' ELSE t.status END",
                "revoked_at": "CASE WHEN g %% 50 = 0 THEN t.issued_at ELSE NULL END",
                "revoked_by_id": f"CASE WHEN g %% 50 = 0 THEN {template['officer']} ELSE NULL END",
                "revoke_reason": "CASE WHEN g %% 50 = 0 THEN '提供虚假材料' ELSE '' END",
                "copy": "CASE WHEN g %% 50 = 1 THEN 2 ELSE t.copy END",
            },
        }
        ids = {
            "persons_person": template["person"],
            "applications_titleholding": template["holding"],
            "certificates_certificatenumber": template["number"],
            "certificates_certificate": template["certificate"],
            RECORDS: template["certificate"],
        }
        t = time.perf_counter()
        for lo in range(1, rows + 1, SLICE):
            hi = min(rows, lo + SLICE - 1)
            for table in (*TABLES, RECORDS):
                step = time.perf_counter()
                key = "certificate_id" if table == RECORDS else "id"
                _clone(cursor, table, ids[table], overrides[table], lo, hi, key=key)
                timings[f"load_{table}_s"] = timings.get(f"load_{table}_s", 0) + (
                    time.perf_counter() - step
                )
        timings["load_s"] = time.perf_counter() - t
        for table in (*TABLES, "certificates_certificatenumberbatch"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        # Unique constraints and indexes first, then the foreign keys (checked against them).
        t = time.perf_counter()
        for kind in ("unique", "index", "foreign key"):
            for item_kind, table, _, create in secondary:
                if item_kind != kind or (LEAN and table != RECORDS):
                    continue
                step = time.perf_counter()
                cursor.execute(create)
                timings[f"{kind}_s"] = timings.get(f"{kind}_s", 0) + time.perf_counter() - step
        timings["rebuild_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cursor.execute(f"VACUUM ANALYZE {', '.join((*TABLES, RECORDS))}")
        timings["vacuum_analyze_s"] = time.perf_counter() - t
        sizes = {}
        for table in (*TABLES, RECORDS):
            cursor.execute("SELECT pg_total_relation_size(%s::regclass)", [table])
            sizes[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM certificates_certificate")
        certificates = cursor.fetchone()[0]
    total = timings["drop_s"] + timings["load_s"] + timings["rebuild_s"]
    total += timings["vacuum_analyze_s"]
    return {
        "rows": rows,
        "certificates": certificates,
        "years": years,
        "seconds": round(total, 1),
        "seconds_per_million": round(total / rows * 1_000_000, 1),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
        "table_mb": {k: round(v / 2**20) for k, v in sizes.items()},
        "database_mb": round(database_bytes / 2**20),
        "database_gb_per_million": round(database_bytes / 2**30 / rows * 1_000_000, 2),
        "secondary": [create for _, _, _, create in secondary],
        "lean": LEAN,
    }


# --- the run --------------------------------------------------------------------------------


def _disk_refusal() -> str:
    """Why not to generate (the database's disk too small for it), or ""."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        free = shutil.disk_usage(cursor.fetchone()[0]).free / 2**30
    needed = ROWS / 1_000_000 * GB_PER_MILLION
    if needed > free * DISK_SHARE:
        return (
            f"{ROWS:,} 份证书约需 {needed:.0f} GB，数据库磁盘仅余 {free:.0f} GB"
            f"（至多用其 {DISK_SHARE:.0%}）"
        )
    return ""


def _median_run(results: list[dict]) -> dict:
    """One figure per key: the median over the runs of the rate and of each latency."""
    keys = ("rate", "p50_ms", "p95_ms", "p99_ms")
    median = {k: statistics.median(r[k] for r in results) for k in keys}
    return {**median, "requests": sum(r["requests"] for r in results), "runs": len(results)}


def run(db_label: str, make_officer) -> list[Result]:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    rows = planned(db_label)
    refusal = _disk_refusal()
    if refusal:
        for row in rows:
            row.skipped = refusal
        return rows
    t = time.perf_counter()
    template = _template(make_officer)
    generated = _generate(ROWS, template)
    setup_s = time.perf_counter() - t
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    script = Path(__file__).resolve().parent / "verify.lua"
    env = {
        "BENCH_ROWS": str(ROWS),
        "BENCH_PER_YEAR": str(PER_YEAR),
        "BENCH_FIRST_YEAR": str(template["first_year"]),
        "BENCH_UNIT_CODE": UNIT_CODE,
        "BENCH_NAME_PREFIX": urllib.parse.quote(NAME_PREFIX),
    }
    shape = {"threads": THREADS, "connections": CONNECTIONS}
    with tempfile.TemporaryDirectory() as tmpdir:
        floor_script = Path(tmpdir) / "floor.lua"
        floor_script.write_text(FLOOR_LUA)
        server = _serve(port, "verify")
        runs = {"page": [], "api": [], "floor": []}
        try:
            warm = _wrk(
                url,
                script,
                WARMUP_SECONDS,
                {**env, "BENCH_MODE": "page", "BENCH_RUN": "0"},
                **shape,
            )
            for repeat in range(REPEATS):
                # BENCH_RUN keeps each run's client addresses apart (the rate limit).
                for mode in ("page", "api"):
                    number = 1 + repeat * 2 + (mode == "api")
                    run_env = {**env, "BENCH_MODE": mode, "BENCH_RUN": str(number)}
                    runs[mode].append(_wrk(url, script, SECONDS, run_env, **shape))
                runs["floor"].append(
                    _wrk(f"{url}/healthz", floor_script, min(SECONDS, 10), {}, **shape)
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except Exception:
                server.kill()
    page, api, floor = (_median_run(runs[mode]) for mode in ("page", "api", "floor"))
    details = {
        "setup_s": round(setup_s, 1),
        "generated": generated,
        "wrk": {**shape, "seconds": SECONDS, "repeats": REPEATS},
        "load_average": os.getloadavg(),
        "warmup": warm,
        "page": page,
        "api": api,
        "floor": floor,
        "runs": runs,
    }
    page_rate, page_p99, api_rate, api_p99, errors, generate = rows
    page_rate.value, page_rate.floor, page_rate.details = page["rate"], floor["rate"], details
    page_p99.value, page_p99.floor = page["p99_ms"], floor["p99_ms"]
    api_rate.value, api_rate.floor = api["rate"], floor["rate"]
    api_p99.value, api_p99.floor = api["p99_ms"], floor["p99_ms"]
    errors.value = float(sum(r["errors"] + r["misses"] for r in (*runs["page"], *runs["api"])))
    generate.value = generated["seconds_per_million"]
    generate.details = {k: v for k, v in generated.items() if k != "secondary"}
    return rows

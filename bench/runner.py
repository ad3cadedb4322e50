"""``python -m bench``: run every benchmark on SQLite and PostgreSQL, print the table and
rewrite BENCHMARKS.md.

Each (benchmark, database) pair runs in its own process (``bench.worker``) on a fresh throwaway
database: a SQLite file under ``var/bench/`` and the PostgreSQL database ``zc_bench`` on
127.0.0.1:5432, created before and dropped after. When PostgreSQL does not answer, its rows say
so and the run goes on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

from bench.results import Result
from bench.worker import BENCH_VAR, BENCHMARKS, DB_LABELS, PG_URL, PG_URLS, ROOT

PG_ADMIN_URL = PG_URL.rsplit("/", 1)[0] + "/postgres"
WORKER_TIMEOUT_S = 900
ORDER = (
    "import",
    "export",
    "typeahead",
    "routing_import",
    "route_resolution",
    "certificates",
    "issue_job",
    "evaluation",
    "applications",
    "certificate_lists",
    "surge",
    "national_report",
    "verify_scale",
)
# Benchmarks whose set-up is large (a million rows) get longer.
WORKER_TIMEOUTS_S = {
    "applications": 3600,
    "certificate_lists": 1800,
    # Generating the certificates takes ~80 s a million on 2 busy cores (index builds grow
    # faster than linearly): 5 minutes a million leaves room.
    "verify_scale": 900
    + int(os.environ.get("ZHICHENG_BENCH_VERIFY_ROWS", 50_000_000)) // 1_000_000 * 300,
}


def pg_db_name(bench: str) -> str:
    return PG_URLS.get(bench, PG_URL).rsplit("/", 1)[1]


# --- The throwaway databases ----------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def pg_version() -> str | None:
    """The server version, or None when PostgreSQL is not reachable."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


def fresh_database(db: str, bench: str = "") -> None:
    name = pg_db_name(bench)
    if db == "postgresql":
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}"')
    else:
        shutil.rmtree(BENCH_VAR / db, ignore_errors=True)
        (BENCH_VAR / db).mkdir(parents=True)


def drop_database(db: str, bench: str = "") -> None:
    name = pg_db_name(bench)
    if db == "postgresql":
        try:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as exc:  # the run's results matter more than the clean-up
            print(f"  (could not drop {name}: {exc})", file=sys.stderr)
    else:
        shutil.rmtree(BENCH_VAR / db, ignore_errors=True)


# --- Running --------------------------------------------------------------------------------


def planned(bench: str, db: str, reason: str) -> list[Result]:
    """The rows a benchmark would have produced, marked as not measured."""
    module = import_module(BENCHMARKS[bench])
    return [Result(**{**row.to_dict(), "skipped": reason}) for row in module.planned(DB_LABELS[db])]


def run_one(bench: str, db: str) -> list[Result]:
    out = BENCH_VAR / f"{bench}-{db}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    fresh_database(db, bench)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.worker", "--db", db, "--bench", bench, "--out", str(out)],
            cwd=ROOT,
            timeout=WORKER_TIMEOUTS_S.get(bench, WORKER_TIMEOUT_S),
            capture_output=True,
            text=True,
        )
    except subprocess.TimeoutExpired:
        limit = WORKER_TIMEOUTS_S.get(bench, WORKER_TIMEOUT_S)
        return planned(bench, db, f"error: timed out after {limit} s")
    finally:
        drop_database(db, bench)
    if proc.returncode != 0 or not out.exists():
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return planned(bench, db, f"error: {last[:200]}")
    return [Result.from_dict(d) for d in json.loads(out.read_text(encoding="utf-8"))]


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "CPU": f"{os.cpu_count()} × {cpu}",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": pg_version() or "not reachable",
        "Load average at start (1, 5, 15 min)": load,
    }


# --- Reporting ------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "ms":
        text = f"{value:.1f}"
    elif unit == "s":
        text = f"{value:.2f}"
    else:
        text = f"{value:.0f}" if value >= 100 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def verdict(result: Result) -> str:
    if result.skipped:
        return f"skipped: {result.skipped}"
    return {True: "pass", False: "FAIL", None: "info"}[result.passed]


def table_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.name,
                r.db,
                fmt(r.value, r.unit),
                fmt(r.floor, r.unit) if r.floor is not None else "—",
                f"{r.ratio:.2f}" if r.ratio is not None else "—",
                r.target_text,
                verdict(r),
                r.measured_at or "—",
            ]
        )
    return rows


HEADERS = ["Benchmark", "DB", "Measured", "Raw floor", "Ratio", "Target", "Result", "Run"]


def print_table(results: list[Result]) -> None:
    rows = [HEADERS, *table_rows(results)]

    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(HEADERS))]
    for n, row in enumerate(rows):
        print("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _description(doc: str | None) -> str:
    """A benchmark module's docstring for BENCHMARKS.md: without its summary line when one stands
    alone (followed by a blank line); a first sentence running on is kept whole."""
    text = (doc or "").strip()
    first, blank, rest = text.partition("\n\n")
    return rest.strip() if blank and "\n" not in first else text


def markdown(results: list[Result], info: dict[str, str], started: dt.datetime, took: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand. Every measurement is",
        "taken next to a raw floor measured in the same run on the same machine, so the ratio",
        "means something even on a busy machine; the targets are those of issues 2, 3 and 4",
        "and of DESIGN §5 (signed certificates).",
        "",
        f"Last run: {started:%Y-%m-%d %H:%M %Z} ({took / 60:.1f} min). A run with `--only` keeps",
        "the other rows from earlier runs (their date is in the Run column; all rows are kept in",
        "`bench/results.json`).",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    lines += [
        "",
        "Ratio = measured ÷ raw floor. Only the export's target is a ratio; for the others the",
        "target is absolute and the ratio shows how much the application adds to the raw work.",
        "The machine may be shared (see the load average below): on a busy machine the absolute",
        "figures grow, the ratios much less.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "## What is measured", ""]
    for bench in [b for b in ORDER if b in BENCHMARKS]:
        module = import_module(BENCHMARKS[bench])
        lines += [f"### {module.TITLE}", "", _description(module.__doc__), ""]
    details = [r for r in results if r.details]
    if details:
        lines += ["## Details", ""]
        for r in details:
            lines += [
                f"<details><summary>{r.name} — {r.db}</summary>",
                "",
                "```json",
                json.dumps(r.details, ensure_ascii=False, indent=1),
                "```",
                "",
                "</details>",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


RESULTS_JSON = ROOT / "bench" / "results.json"


def merged_with_earlier(results: list[Result]) -> list[Result]:
    """This run's rows, plus the rows of earlier runs that this one did not measure (a run
    with ``--only``); saved to ``bench/results.json`` for the next run. Each row keeps the
    date of the run that measured it."""
    fresh = {(r.key, r.db) for r in results}
    earlier = []
    if RESULTS_JSON.exists():
        earlier = [Result.from_dict(d) for d in json.loads(RESULTS_JSON.read_text("utf-8"))]
    kept = [r for r in earlier if (r.key, r.db) not in fresh]
    order = {bench: n for n, bench in enumerate(ORDER)}
    merged = sorted(
        [*kept, *results], key=lambda r: (order.get(r.key.split(".")[0], len(order)), r.db)
    )
    RESULTS_JSON.write_text(
        json.dumps([r.to_dict() for r in merged], ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(ORDER)}")
    parser.add_argument("--db", help="comma-separated subset of sqlite, postgresql")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table but leave BENCHMARKS.md alone"
    )
    args = parser.parse_args(argv)
    benches = [b for b in ORDER if b in BENCHMARKS and (not args.only or b in args.only.split(","))]
    dbs = [d for d in ("sqlite", "postgresql") if not args.db or d in args.db.split(",")]

    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    info = machine()
    pg_ok = info["PostgreSQL"] != "not reachable"
    results: list[Result] = []
    for bench in benches:
        for db in dbs:
            only = getattr(import_module(BENCHMARKS[bench]), "DATABASES", None)
            if only and db not in only:
                continue  # its targets are for the other database only
            if db == "postgresql" and not pg_ok:
                results += planned(bench, db, "PostgreSQL not reachable")
                continue
            print(f"== {bench} on {DB_LABELS[db]} …", flush=True)
            step = time.perf_counter()
            results += run_one(bench, db)
            print(f"   done in {time.perf_counter() - step:.0f} s", flush=True)
    took = time.perf_counter() - t0
    for result in results:
        result.measured_at = f"{started:%Y-%m-%d %H:%M}"
    print()
    print_table(results)
    if not args.no_write:
        results = merged_with_earlier(results)
        (ROOT / "BENCHMARKS.md").write_text(markdown(results, info, started, took), "utf-8")
        print("\nBENCHMARKS.md written.")
    failed = [r for r in results if r.passed is False or r.skipped.startswith("error")]
    return 1 if failed else 0

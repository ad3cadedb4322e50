"""One benchmark on one database, in its own process (Django settings are per process).

``python -m bench.worker --db sqlite|postgresql --bench typeahead --out result.json``

The database must be fresh: the runner deletes the SQLite file / recreates ``zc_bench`` first.
This process points the project's settings at it, migrates, runs the benchmark and writes its
result rows as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
PG_URL = os.environ.get("ZHICHENG_BENCH_PG", "postgres://postgres@127.0.0.1:5432/zc_bench")
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BENCHMARKS = {
    "import": "bench.importing",
    "export": "bench.exporting",
    "typeahead": "bench.typeahead",
    "routing_import": "bench.routing_import",
    "route_resolution": "bench.route_resolution",
    "applications": "bench.applications",
    "certificates": "bench.certificates",
    "issue_job": "bench.issue_job",
    "evaluation": "bench.evaluation",
    "surge": "bench.surge",
    "national_report": "bench.national_report",
    "verify_scale": "bench.verify_scale",
    "certificate_lists": "bench.certificate_lists",
}
# A benchmark that may run while another helper runs others gets its own PostgreSQL database.
PG_URLS = {
    "surge": os.environ.get(
        "ZHICHENG_BENCH_SURGE_PG", PG_URL.rsplit("/", 1)[0] + "/zc_bench_surge"
    ),
    "evaluation": PG_URL.rsplit("/", 1)[0] + "/zc_bench_evaluation",
    "issue_job": PG_URL.rsplit("/", 1)[0] + "/zc_bench_issue_job",
    "national_report": os.environ.get(
        "ZHICHENG_BENCH_NATIONAL_PG", PG_URL.rsplit("/", 1)[0] + "/zc_bench_national"
    ),
    "verify_scale": os.environ.get(
        "ZHICHENG_BENCH_VERIFY_PG", PG_URL.rsplit("/", 1)[0] + "/zc_bench_verify"
    ),
    "certificate_lists": PG_URL.rsplit("/", 1)[0] + "/zc_bench_certificate_lists",
}
PASSWORD = "Bench@2026pw"


def configure(db: str, bench: str = "") -> None:
    """Point the project's settings at the throwaway database, then set Django up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["ZHICHENG_VAR_DIR"] = str(BENCH_VAR / db)
    if db == "postgresql":
        os.environ["DATABASE_URL"] = PG_URLS.get(bench, PG_URL)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    from zhicheng.accounts.roles import sync_roles

    call_command("migrate", verbosity=0, interactive=False)
    # Once more now that every app's permissions exist (idempotent).
    sync_roles()


def make_officer(organization, username: str, *, employer: bool = False):
    """An HR officer (or, with ``employer``, an employer's officer) of ``organization``,
    created through the real service."""
    from zhicheng.accounts.roles import Role
    from zhicheng.accounts.services import user_create

    user, _ = user_create(
        username=username,
        organization=organization,
        roles=[Role.EMPLOYER_OFFICER if employer else Role.HR_OFFICER],
        password=PASSWORD,
        must_change_password=False,
    )
    return user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=sorted(DB_LABELS), required=True)
    parser.add_argument("--bench", choices=sorted(BENCHMARKS), required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    configure(args.db, args.bench)
    migrate()
    module = import_module(BENCHMARKS[args.bench])
    results = module.run(db_label=DB_LABELS[args.db], make_officer=make_officer)
    Path(args.out).write_text(
        json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

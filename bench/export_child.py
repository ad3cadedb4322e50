"""One side of the export benchmark, in its own process so its peak memory is its own.

``python -m bench.export_child --db sqlite|postgresql --mode engine|floor --out report.json``

``engine``: start the 导出 of the organizations list as the benchmark officer (a background job,
as 100,000 rows are over the threshold) and run the job here, timed. ``floor``: fetch the same
rows first (not timed), then time raw xlsxwriter in constant_memory mode writing them.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine() -> dict:
    from bench.exporting import USERNAME
    from zhicheng.accounts.models import User
    from zhicheng.tabular.models import ExportStatus
    from zhicheng.tabular.services import export_file_path, export_job_run, export_start

    actor = User.objects.get(username=USERNAME)
    job = export_start(actor=actor, key="organizations", params={}, background=True).job
    before = rss_mb()
    start = time.perf_counter()
    job = export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - start
    if job.status != ExportStatus.DONE:
        raise RuntimeError(f"export job ended {job.status}: {job.error}")
    path = export_file_path(job)
    return {
        "seconds": seconds,
        "rows": job.done,
        "file_bytes": path.stat().st_size if path else None,
        "rss_before_mb": round(before, 1),
    }


def floor() -> dict:
    import xlsxwriter

    from bench.exporting import USERNAME
    from zhicheng.accounts.models import User
    from zhicheng.tabular.engine import get_export_spec

    actor = User.objects.get(username=USERNAME)
    spec = get_export_spec("organizations")
    start = time.perf_counter()
    rows = list(spec.queryset(actor, {}).values_list(*[c.field for c in spec.columns]))
    fetch_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "floor.xlsx"
        start = time.perf_counter()
        workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        sheet = workbook.add_worksheet(spec.title)
        for col, column in enumerate(spec.columns):
            sheet.write_string(0, col, column.header)
        write_string, write_number = sheet.write_string, sheet.write_number
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    write_string(r, col, value)
                else:
                    write_number(r, col, value)
        workbook.close()
        seconds = time.perf_counter() - start
        size = target.stat().st_size
    return {"seconds": seconds, "rows": len(rows), "fetch_s": round(fetch_s, 3), "file_bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--mode", choices=["engine", "floor"], required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    from bench.worker import configure

    configure(args.db)
    report = engine() if args.mode == "engine" else floor()
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

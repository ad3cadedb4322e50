"""Import of a 10,000-row organizations file (issue 2: preview ≤ 3 s, commit ≤ 3 s).

The tree above the employers (province, cities, districts, 1,056 departments) is bulk-inserted;
a province HR officer then imports a 10,000-row .xlsx laid out like the downloaded template:
employers under those departments, a few under units listed earlier in the same file, and 2 %
bad rows (wrong check character, missing name, a USCC repeated in the file, an unknown parent,
a 5-digit region code). Measured in the benchmark process:

- preview: `zhicheng.tabular.services.import_preview` — safe-open checks, parse and validate
  every row (bulk database checks), store the preview; floor: openpyxl `read_only` iteration of
  the same file (`values_only`), which the preview has to do anyway; both the median of 3 runs;
- commit: `zhicheng.tabular.services.import_commit` — lock, re-validate, compute the
  materialized paths, bulk-insert, update the parents, write the operation log; floor: a bare
  `bulk_create` of the same rows with precomputed paths (rolled back), i.e. the insert alone.
  One run (a commit changes the database).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from bench.results import Result

TITLE = "机构导入（10,000 行）"
ROWS = 10_000
TARGET_S = 3.0
BAD_EVERY = 50  # one bad row in 50 → 2 %
PREVIEWS = 3


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key="import.preview",
            name=f"机构导入预览，{ROWS:,} 行",
            db=db_label,
            unit="s",
            floor_name="openpyxl read_only 逐行读取同一文件",
            target_kind="max",
            target=TARGET_S,
        ),
        Result(
            key="import.commit",
            name=f"机构导入提交，{ROWS:,} 行",
            db=db_label,
            unit="s",
            floor_name="同样的行直接 bulk_create（不校验，回滚）",
            target_kind="max",
            target=TARGET_S,
        ),
    ]


def build_file(path: Path, departments: list, headers: list[str]) -> tuple[list[dict], int]:
    """Write the import file; return the rows meant to be valid (with their parent) and the
    number of bad rows."""
    import xlsxwriter

    from bench.data import employer_name, make_uscc
    from zhicheng.common.validators import USCC_ALPHABET

    rng = random.Random(11)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("机构")
    sheet.write_row(0, 0, headers)
    good: list[dict] = []
    bad = 0
    for i in range(ROWS):
        dept = departments[i % len(departments)]
        city = dept.name.split("市", 1)[0]
        district = dept.name.split("市", 1)[1][:3]
        name, prefix = employer_name(rng, city, district)
        uscc = make_uscc(prefix, dept.region_code, 50_000_000 + i)
        parent = dept
        if i % 100 == 7 and good:  # a branch of a unit listed earlier in this file
            parent_row = good[-1]
            name = parent_row["name"] + "分公司"
            parent = parent_row
        row = {
            "name": name,
            "uscc": uscc,
            "org_type": "用人单位",
            "region_code": dept.region_code,
            "parent_uscc": parent["uscc"] if isinstance(parent, dict) else parent.uscc,
        }
        if i % BAD_EVERY == BAD_EVERY - 1:
            bad += 1
            kind = (i // BAD_EVERY) % 5
            if kind == 0:  # wrong check character
                wrong = USCC_ALPHABET[(USCC_ALPHABET.index(uscc[-1]) + 1) % len(USCC_ALPHABET)]
                row["uscc"] = uscc[:-1] + wrong
            elif kind == 1:
                row["name"] = ""
            elif kind == 2:  # repeats the USCC of a good row above
                row["uscc"] = good[-1]["uscc"]
            elif kind == 3:
                row["parent_uscc"] = make_uscc("91", "320000", 99_999_999)
            else:
                row["region_code"] = row["region_code"][:5]
        else:
            good.append(row)
        sheet.write_row(
            i + 1,
            0,
            [row["name"], row["uscc"], row["org_type"], row["region_code"], row["parent_uscc"]],
        )
    workbook.close()
    return good, bad


def floor_read(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    elapsed = time.perf_counter() - start
    assert count == ROWS + 1, count
    return elapsed


def floor_insert(good: list[dict], parents: dict) -> float:
    """bulk_create of the valid rows, paths precomputed, inside a transaction rolled back."""
    from django.db import transaction

    from bench.data import path_step
    from zhicheng.orgs.models import Organization
    from zhicheng.orgs.services import pinyin_initials_many

    initials = pinyin_initials_many([row["name"] for row in good])
    children: dict[str, int] = {}
    paths: dict[str, str] = {code: org.path for code, org in parents.items()}
    nodes = []
    for row, name_initials in zip(good, initials, strict=True):
        parent_path = paths[row["parent_uscc"]]
        children[parent_path] = children.get(parent_path, 0) + 1
        path = parent_path + path_step(children[parent_path])
        paths[row["uscc"]] = path
        nodes.append(
            Organization(
                path=path,
                depth=len(path) // 4,
                numchild=0,
                name=row["name"],
                uscc=row["uscc"],
                org_type="employer",
                region_code=row["region_code"],
                status="active",
                name_initials=name_initials,
            )
        )
    start = time.perf_counter()
    with transaction.atomic():
        Organization.objects.bulk_create(nodes, batch_size=1000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.conf import settings
    from django.db import connection

    from bench.data import insert_organizations
    from zhicheng.orgs.models import Organization
    from zhicheng.tabular.engine import get_import_spec
    from zhicheng.tabular.services import import_commit, import_preview

    insert_organizations(0)  # the tree without employers
    province = Organization.objects.get(depth=1)
    officer = make_officer(province, "bench_import")
    departments = list(Organization.objects.filter(depth=4).order_by("path"))
    spec = get_import_spec("organizations")
    path = Path(settings.VAR_DIR) / "organizations-10000.xlsx"
    good, bad = build_file(path, departments, list(spec.headers))
    before = Organization.objects.count()

    # The preview writes nothing but its own batch row: take the median of three.
    preview_floor = statistics.median(floor_read(path) for _ in range(PREVIEWS))
    preview_times = []
    for _ in range(PREVIEWS):
        with path.open("rb") as handle:
            start = time.perf_counter()
            batch = import_preview(
                actor=officer,
                key=spec.key,
                fileobj=handle,
                file_name=path.name,
                size=path.stat().st_size,
            )
            preview_times.append(time.perf_counter() - start)
    preview_s = statistics.median(preview_times)
    if (batch.total, batch.valid_count, batch.invalid_count) != (ROWS, len(good), bad):
        raise RuntimeError(
            f"preview counted {batch.total}/{batch.valid_count}/{batch.invalid_count}, "
            f"expected {ROWS}/{len(good)}/{bad}"
        )

    commit_floor = floor_insert(good, {d.uscc: d for d in departments})
    if connection.vendor == "postgresql":
        # The rolled-back floor left dead rows and GIN pending-list entries behind; clear them
        # as autovacuum would, so the commit is measured on a table in its steady state.
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE orgs_organization")
    start = time.perf_counter()
    result = import_commit(actor=officer, batch=batch)
    commit_s = time.perf_counter() - start
    if result.created != len(good) or Organization.objects.count() != before + len(good):
        raise RuntimeError(f"commit created {result.created}, expected {len(good)}")

    preview, commit = planned(db_label)
    preview.value, preview.floor = preview_s, preview_floor
    preview.details = {
        "rows": ROWS,
        "valid": batch.valid_count,
        "invalid": batch.invalid_count,
        "file_bytes": path.stat().st_size,
        "preview_runs_s": [round(t, 3) for t in preview_times],
    }
    commit.value, commit.floor = commit_s, commit_floor
    commit.details = {"created": result.created}
    return [preview, commit]

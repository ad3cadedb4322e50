"""Import of 10,000 acceptance offices and of 10,000 route edges (issue 3: preview ≤ 3 s, commit
≤ 3 s each).

The organization tree (province, 13 cities, 88 districts, 1,056 departments, 10,000 employers of
which about 3 % are deregistered) is bulk-inserted; a province HR officer then imports, through
the routing app's import specs and the shared engine:

- 受理机构 (`acceptance-offices`, 中级 · 认定 chosen as the dialog's parameters): 10,000 rows,
  one per employer by 统一社会信用代码 (every tenth with its name too, which must match), 2 %
  planted bad rows (an unknown USCC, an employer as 市级人社部门, the organization of the row
  before, a name that does not match the USCC, a name found nowhere) plus the rows of
  deregistered employers;
- 审核路径下级机构 (`review-routes-initial`, 中级): 10,000 rows building the whole 初定 · 中级
  route top-down in one file under the province's acceptance office — 13 cities, 88 districts,
  1,056 departments, then employers under their departments — every row checked against the
  route and the rows before it; 2 % planted bad rows among the employers (a second superior, a
  cycle, an unknown superior, a superior not yet on the route, an employer as 县级人社部门) plus
  the rows of deregistered employers.

For each file, measured in the benchmark process:

- preview: `zhicheng.tabular.services.import_preview` (parse, validate every row in bulk, store
  the preview); floor: openpyxl `read_only` iteration of the same file (`values_only`); both
  the median of 3 runs;
- commit: `zhicheng.tabular.services.import_commit` (lock, re-validate the rows against the
  database and the route, insert, write the operation log); floor: a bare `bulk_create` of the
  same rows (rolled back), i.e. the insert alone. One run (a commit changes the database).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.results import Result

TITLE = "受理机构和审核路径导入（各 10,000 行）"
ROWS = 10_000
EMPLOYERS = 10_000
TARGET_S = 3.0
BAD_EVERY = 50  # one planted bad row in 50 → 2 %
PREVIEWS = 3
OFFICE_LEVEL, OFFICE_METHOD = "intermediate", "recognition"  # 中级 · 认定
ROUTE_KIND, ROUTE_LEVEL = "initial", "intermediate"  # 初定 · 中级


def planned(db_label: str) -> list[Result]:
    rows = []
    for key, what in (("offices", "受理机构"), ("routes", "审核路径下级机构")):
        rows += [
            Result(
                key=f"routing_import.{key}.preview",
                name=f"{what}导入预览，{ROWS:,} 行",
                db=db_label,
                unit="s",
                floor_name="openpyxl read_only 逐行读取同一文件",
                target_kind="max",
                target=TARGET_S,
            ),
            Result(
                key=f"routing_import.{key}.commit",
                name=f"{what}导入提交，{ROWS:,} 行",
                db=db_label,
                unit="s",
                floor_name="同样的行直接 bulk_create（不校验，回滚）",
                target_kind="max",
                target=TARGET_S,
            ),
        ]
    return rows


def fixed_organizations() -> int:
    """The organizations above the employers in ``bench.data.generate_organizations``."""
    from bench.data import CITIES, DEPARTMENTS

    districts = sum(len(d) for _, _, d in CITIES)
    return 1 + len(CITIES) + districts + districts * len(DEPARTMENTS)


def load_tree() -> list:
    """Bulk-insert the tree; return every organization ordered by path (parents first)."""
    from bench.data import insert_organizations
    from zhicheng.orgs.models import Organization

    insert_organizations(fixed_organizations() + EMPLOYERS)
    return list(Organization.objects.order_by("path"))


def write_xlsx(path: Path, sheet_name: str, headers: list[str], rows: list[list[str]]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_row(0, 0, headers)
    for i, row in enumerate(rows, 1):
        sheet.write_row(i, 0, row)
    workbook.close()


def unknown_uscc(n: int) -> str:
    from bench.data import make_uscc

    return make_uscc("91", "320000", 99_000_000 + n)


# --- the files ------------------------------------------------------------------------------


def office_rows(employers: list) -> tuple[list[list[str]], list, int]:
    """(file rows, organizations of the rows meant to be valid, number of bad rows)."""
    rows: list[list[str]] = []
    good: list = []
    bad = 0
    for i, org in enumerate(employers[:ROWS]):
        node_type, name, uscc = "用人单位", org.name if i % 10 == 3 else "", org.uscc
        planted = i % BAD_EVERY == BAD_EVERY - 1
        if planted:
            kind = (i // BAD_EVERY) % 5
            if kind == 0:
                uscc = unknown_uscc(i)
            elif kind == 1:
                node_type = "市级人社部门"
            elif kind == 2:  # the organization of the row before
                name, uscc = "", employers[i - 1].uscc
            elif kind == 3:
                name = org.name + "（旧称）"
            else:
                name, uscc = org.name + "不存在", ""
        rows.append([node_type, name, uscc])
        if planted or org.status != "active":
            bad += 1
        else:
            good.append(org)
    return rows, good, bad


def route_rows(tree: list, province) -> tuple[list[list[str]], list[tuple], int]:
    """The 初定 · 中级 route top-down: (file rows, (superior, subordinate, node type) of the rows
    meant to be valid, number of bad rows)."""
    by_path = {org.path: org for org in tree}
    node_types = {2: "city_hr", 3: "county_hr", 4: "competent_dept", 5: "employer"}
    labels = {
        "province_hr": "省级人社部门",
        "city_hr": "市级人社部门",
        "county_hr": "县级人社部门",
        "competent_dept": "主管部门",
        "employer": "用人单位",
    }
    upper = [org for org in tree if 2 <= org.depth <= 4]
    employers = [org for org in tree if org.depth == 5]
    unused = [org for org in employers[ROWS - len(upper) :] if org.status == "active"]
    departments = [org for org in tree if org.depth == 4]
    rows: list[list[str]] = []
    good: list[tuple] = []
    bad = 0
    for org in upper:
        superior = by_path[org.path[:-4]]
        node_type = node_types[org.depth]
        rows.append([superior.uscc, labels[node_type], "", org.uscc])
        good.append((superior, org, node_type))
    for i, org in enumerate(employers[: ROWS - len(upper)]):
        superior = by_path[org.path[:-4]]
        sub, node_type, name = org, "employer", org.name if i % 10 == 3 else ""
        superior_uscc = superior.uscc
        planted = i % BAD_EVERY == BAD_EVERY - 1
        if planted:
            kind = (i // BAD_EVERY) % 5
            if kind == 0:  # a second superior for an employer linked above
                sub, name = good[-1][1], ""
                superior_uscc = departments[(i * 7) % len(departments)].uscc
            elif kind == 1:  # the province under one of its departments: a cycle
                sub, node_type, name = province, "province_hr", ""
            elif kind == 2:
                superior_uscc = unknown_uscc(i)
            elif kind == 3:  # an employer that is not on the route
                superior_uscc = unused[i % len(unused)].uscc
            else:
                node_type = "county_hr"
        rows.append([superior_uscc, labels[node_type], name, sub.uscc])
        if planted or org.status != "active":
            bad += 1
        else:
            good.append((superior, org, node_type))
    return rows, good, bad


# --- floors ---------------------------------------------------------------------------------


def floor_read(path: Path, expected: int) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    elapsed = time.perf_counter() - start
    assert count == expected + 1, count
    return elapsed


def floor_insert(model, objects: list) -> float:
    """bulk_create of ``objects`` inside a transaction rolled back."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic():
        model.objects.bulk_create(objects, batch_size=1000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        # The rolled-back floor left dead rows behind; clear them as autovacuum would, so the
        # commit is measured on a table in its steady state.
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return elapsed


# --- one import ---------------------------------------------------------------------------


def measure(*, officer, key: str, path: Path, params: dict, expected: tuple[int, int, int]):
    """(preview times, preview floor, the last batch) for one file."""
    from zhicheng.tabular.services import import_preview

    floor = statistics.median(floor_read(path, expected[0]) for _ in range(PREVIEWS))
    times = []
    for _ in range(PREVIEWS):
        with path.open("rb") as handle:
            start = time.perf_counter()
            batch = import_preview(
                actor=officer,
                key=key,
                fileobj=handle,
                file_name=path.name,
                size=path.stat().st_size,
                params=params,
            )
            times.append(time.perf_counter() - start)
    counts = (batch.total, batch.valid_count, batch.invalid_count)
    if counts != expected:
        sample = [e["message"] for e in batch.errors[:5]]
        raise RuntimeError(f"{key}: preview counted {counts}, expected {expected}; {sample}")
    return times, floor, batch


def commit(*, officer, batch, model, expected: int) -> float:
    from zhicheng.tabular.services import import_commit

    before = model.objects.count()
    start = time.perf_counter()
    result = import_commit(actor=officer, batch=batch)
    elapsed = time.perf_counter() - start
    if result.created != expected or model.objects.count() != before + expected:
        raise RuntimeError(f"{batch.key}: commit created {result.created}, expected {expected}")
    return elapsed


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.conf import settings

    from zhicheng.routing.models import AcceptanceOffice, RouteEdge
    from zhicheng.routing.services import acceptance_office_create
    from zhicheng.routing.tabular import OFFICE_KEY, route_key
    from zhicheng.tabular.engine import get_import_spec

    tree = load_tree()
    province = tree[0]
    officer = make_officer(province, "bench_routing_import")
    employers = [org for org in tree if org.depth == 5]
    var = Path(settings.VAR_DIR)
    results = planned(db_label)

    # 受理机构
    office_spec = get_import_spec(OFFICE_KEY)
    rows, good_offices, bad = office_rows(employers)
    office_path = var / "acceptance-offices-10000.xlsx"
    write_xlsx(office_path, "受理机构", list(office_spec.headers), rows)
    params = {"level": OFFICE_LEVEL, "acquisition_method": OFFICE_METHOD}
    times, read_floor, batch = measure(
        officer=officer,
        key=OFFICE_KEY,
        path=office_path,
        params=params,
        expected=(ROWS, len(good_offices), bad),
    )
    insert_floor = floor_insert(
        AcceptanceOffice,
        [
            AcceptanceOffice(
                organization_id=org.pk,
                node_type="employer",
                level=OFFICE_LEVEL,
                acquisition_method=OFFICE_METHOD,
                created_by=officer,
            )
            for org in good_offices
        ],
    )
    commit_s = commit(
        officer=officer, batch=batch, model=AcceptanceOffice, expected=len(good_offices)
    )
    preview, committed = results[0], results[1]
    preview.value, preview.floor = statistics.median(times), read_floor
    preview.details = {
        "rows": ROWS,
        "valid": batch.valid_count,
        "invalid": batch.invalid_count,
        "preview_runs_s": [round(t, 3) for t in times],
    }
    committed.value, committed.floor = commit_s, insert_floor
    committed.details = {"created": len(good_offices)}

    # 审核路径: the top first (the province's 初定 · 中级 acceptance office), then the file.
    acceptance_office_create(
        actor=officer,
        organization=province,
        node_type="province_hr",
        level=ROUTE_LEVEL,
        acquisition_method=ROUTE_KIND,
    )
    route_spec = get_import_spec(route_key(ROUTE_KIND))
    rows, good_edges, bad = route_rows(tree, province)
    route_path = var / "review-routes-10000.xlsx"
    write_xlsx(route_path, "审核路径", list(route_spec.headers), rows)
    times, read_floor, batch = measure(
        officer=officer,
        key=route_spec.key,
        path=route_path,
        params={"level": ROUTE_LEVEL},
        expected=(ROWS, len(good_edges), bad),
    )
    insert_floor = floor_insert(
        RouteEdge,
        [
            RouteEdge(
                kind=ROUTE_KIND,
                level=ROUTE_LEVEL,
                superior_id=sup.pk,
                subordinate_id=sub.pk,
                node_type=node_type,
                created_by=officer,
            )
            for sup, sub, node_type in good_edges
        ],
    )
    commit_s = commit(officer=officer, batch=batch, model=RouteEdge, expected=len(good_edges))
    preview, committed = results[2], results[3]
    preview.value, preview.floor = statistics.median(times), read_floor
    preview.details = {
        "rows": ROWS,
        "valid": batch.valid_count,
        "invalid": batch.invalid_count,
        "preview_runs_s": [round(t, 3) for t in times],
    }
    committed.value, committed.floor = commit_s, insert_floor
    committed.details = {"created": len(good_edges)}
    return results

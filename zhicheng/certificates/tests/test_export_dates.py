"""#9: every export writes dates and datetimes as real Excel dates (a number with a date format,
naive Asia/Shanghai time), not text. Checked on the certificates, applications and plans exports,
which all go through the shared writer."""
# ruff: noqa: F811 — fixtures imported from the plans tests are requested by name.

import datetime as dt
import io

import openpyxl
from django.utils import timezone

from zhicheng.plans import services as plan_services
from zhicheng.plans.tests.conftest import (  # noqa: F401  (fixtures)
    committee_user,
    complete_plan,
    plan,
    qualified,
    reviewer,
)
from zhicheng.tabular import services


def export_sheet(user, key: str, **params):
    started = services.export_start(actor=user, key=key, params=params, background=False)
    assert started.file is not None
    data = started.file.read()
    started.file.close()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    return header, list(sheet.iter_rows(min_row=2))


def cell(header, row, name):
    return row[header.index(name)]


def assert_excel_datetime(c, expected: dt.datetime) -> None:
    assert c.is_date, f"{c.value!r} is written as text"
    assert "yy" in c.number_format and "hh:mm" in c.number_format
    local = timezone.localtime(expected).replace(tzinfo=None, microsecond=0)
    assert c.value == local  # Asia/Shanghai, naive in the cell


def test_the_certificate_export_writes_issue_times_as_excel_datetimes(hr_city, issued):
    header, rows = export_sheet(hr_city, "certificates")
    assert rows
    issued_at = {c.number.number: c.issued_at for c in issued}
    for row in rows:
        number = cell(header, row, "证书编号").value
        assert_excel_datetime(cell(header, row, "发证时间"), issued_at[number])
        assert cell(header, row, "撤销时间").value is None


def test_the_applications_export_writes_submission_times_as_excel_datetimes(hr_city, held):
    holding = held(1)[0]
    application = holding.application
    header, rows = export_sheet(hr_city, "applications")
    [row] = [r for r in rows if cell(header, r, "姓名").value == application.person.name]
    assert_excel_datetime(cell(header, row, "提交时间"), application.submitted_at)
    assert_excel_datetime(cell(header, row, "审核通过时间"), application.decided_at)


def test_the_plans_export_writes_submission_times_as_excel_datetimes(
    complete_plan, committee_user, reviewer
):
    submitted = plan_services.plan_submit(actor=committee_user, plan=complete_plan)
    header, rows = export_sheet(reviewer, "plans")
    [row] = rows
    assert_excel_datetime(cell(header, row, "呈报时间"), submitted.submitted_at)


def test_a_plain_date_is_written_as_an_excel_date_without_time(tmp_path):
    from zhicheng.tabular.engine import ExportColumn
    from zhicheng.tabular.writer import write_export

    target = tmp_path / "d.xlsx"
    write_export(
        title="t",
        columns=(ExportColumn("日期", "d"), ExportColumn("时间", "t")),
        rows=[(dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC))],
        fileobj=str(target),
        full_id=False,
    )
    sheet = openpyxl.load_workbook(target).active
    date_cell, time_cell = sheet[2]
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert date_cell.value == dt.datetime(2026, 3, 1)
    assert time_cell.is_date and time_cell.value == dt.datetime(2026, 3, 1, 10, 0)

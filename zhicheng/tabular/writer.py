"""Writing workbooks with xlsxwriter: the import template, the error file and exports.

Exports run in ``constant_memory`` mode (rows are flushed as they are written), so memory stays
bounded whatever the row count. Text cells beginning with ``= + - @`` (or a tab / carriage return)
get a leading ``'`` so neither Excel nor a CSV consumer of the file evaluates them as formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from zhicheng.common.validators import mask_id_number
from zhicheng.tabular.engine import ExportColumn, ImportSpec
from zhicheng.tabular.reader import max_bytes, max_rows

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 2000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def neutralize(text: str) -> str:
    """``=1+1`` → ``'=1+1``: a cell that a spreadsheet would run as a formula stays text."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def display_value(value: Any) -> str | int | float | dt.date | None:
    """A Python value as written to a cell: text, number, date or blank.

    Datetimes become naive Asia/Shanghai (Excel has no time zones: the cell shows the local time
    the pages show); ``write_export`` writes dates and datetimes as real Excel dates."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return value
    return str(value)


# --- Template -------------------------------------------------------------------------------


def write_template(spec: ImportSpec, fileobj: IO[bytes], *, tmpdir: str | None = None) -> None:
    """Header row (required columns marked ``*``), text-formatted cells, dropdowns for coded
    columns (from a hidden 代码表 sheet), and a 填写说明 sheet."""
    workbook = xlsxwriter.Workbook(fileobj, {**_WORKBOOK_OPTIONS, "tmpdir": tmpdir})
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"}
    )
    required_fmt = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#DDEBF7",
            "border": 1,
            "align": "center",
            "font_color": "#C00000",
        }
    )
    text_fmt = workbook.add_format({"num_format": "@"})
    wrap_fmt = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold_fmt = workbook.add_format({"bold": True})

    sheet = workbook.add_worksheet(spec.title[:31])
    codes = workbook.add_worksheet("代码表")
    guide = workbook.add_worksheet("填写说明")
    last_row = max_rows()
    for col, column in enumerate(spec.columns):
        header = column.header + ("*" if column.required else "")
        sheet.write_string(0, col, header, required_fmt if column.required else header_fmt)
        sheet.set_column(col, col, column.width, text_fmt)
        if column.choices:
            labels = column.choice_labels
            codes.write_string(0, col, column.header, bold_fmt)
            for i, label in enumerate(labels, start=1):
                codes.write_string(i, col, label)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.data_validation(
                1,
                col,
                last_row,
                col,
                {
                    "validate": "list",
                    "source": f"='代码表'!${letter}$2:${letter}${len(labels) + 1}",
                    "error_title": "输入值无效",
                    "error_message": f"请从下拉列表中选择{column.header}",
                },
            )
    sheet.freeze_panes(1, 0)
    codes.hide()

    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 70)
    guide.write_string(0, 0, f"{spec.title}导入模板填写说明", bold_fmt)
    row = 2
    general = [
        f"1. 请在“{spec.title[:31]}”工作表中填写，第一行为表头，请勿修改、删除或调整表头。",
        "2. 列名后带 * 的为必填项；带下拉框的列请从下拉列表中选择。",
        f"3. 单个文件不超过 {max_bytes() // (1024 * 1024)} MB、不超过 {max_rows()} 行数据；"
        "仅支持 .xlsx 格式。",
        "4. 导入后先预览校验结果，确认无误后点击“提交”才会正式保存；校验失败的行可下载错误文件，"
        "修改后再次导入（错误原因列无需删除）。",
    ]
    for extra, text in enumerate(spec.instructions, start=len(general) + 1):
        general.append(f"{extra}. {text}")
    for text in general:
        guide.write_string(row, 0, text)
        row += 1
    row += 1
    for col, title in enumerate(("列名", "是否必填", "说明 / 可选值")):
        guide.write_string(row, col, title, header_fmt)
    for column in spec.columns:
        row += 1
        notes = column.help
        if column.choices:
            notes = (notes + "；" if notes else "") + "可选值：" + "、".join(column.choice_labels)
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, "是" if column.required else "否")
        guide.write_string(row, 2, notes, wrap_fmt)
    workbook.close()


# --- Error file -----------------------------------------------------------------------------


def write_error_file(
    spec: ImportSpec, errors: Iterable[dict], fileobj: IO[bytes], *, tmpdir: str | None = None
) -> None:
    """The failed rows as the user typed them, plus an 错误原因 column (re-importable)."""
    workbook = xlsxwriter.Workbook(
        fileobj, {**_WORKBOOK_OPTIONS, "constant_memory": True, "tmpdir": tmpdir}
    )
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    reason_fmt = workbook.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1})
    text_fmt = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(spec.title[:31])
    for col, column in enumerate(spec.columns):
        sheet.set_column(col, col, column.width, text_fmt)
        sheet.write_string(0, col, column.header + ("*" if column.required else ""), header_fmt)
    reason_col = len(spec.columns)
    sheet.set_column(reason_col, reason_col, 60)
    sheet.write_string(0, reason_col, "错误原因", reason_fmt)
    for row_index, error in enumerate(errors, start=1):
        for col, value in enumerate(error.get("values", [])[:reason_col]):
            if value:
                sheet.write_string(row_index, col, str(value))
        sheet.write_string(row_index, reason_col, f"第{error['row']}行：{error['message']}")
    workbook.close()


# --- Export ---------------------------------------------------------------------------------


def _column_converter(column: ExportColumn, *, full_id: bool) -> Callable[[Any], Any]:
    steps: list[Callable[[Any], Any]] = []
    if column.choices:
        mapping = column.choice_map
        steps.append(lambda v: mapping.get(v, v))
    if column.transform is not None:
        steps.append(column.transform)
    if column.id_number and not full_id:
        steps.append(lambda v: mask_id_number(v) if isinstance(v, str) else v)
    if not steps:
        return display_value

    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value)
        return display_value(value)

    return convert


def write_export(
    *,
    title: str,
    columns: Sequence[ExportColumn],
    rows: Iterable[Sequence[Any]],
    fileobj: IO[bytes] | str,
    full_id: bool,
    progress: Callable[[int], None] | None = None,
    tmpdir: str | None = None,
) -> int:
    """Write ``rows`` (tuples in column order) and return how many were written.

    xlsxwriter keeps the rows in a file of ``tmpdir`` until the workbook is assembled; the
    caller passes a directory of its own and removes it whatever happens."""
    workbook = xlsxwriter.Workbook(
        fileobj, {**_WORKBOOK_OPTIONS, "constant_memory": True, "tmpdir": tmpdir}
    )
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_fmt = workbook.add_format({"num_format": DATE_FORMAT})
    datetime_fmt = workbook.add_format({"num_format": DATETIME_FORMAT})
    sheet = workbook.add_worksheet(title[:31])
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header, header_fmt)
    sheet.freeze_panes(1, 0)
    converters = [_column_converter(c, full_id=full_id) for c in columns]
    write_string = sheet.write_string
    write_number = sheet.write_number
    write_datetime = sheet.write_datetime
    written = 0
    for written, row in enumerate(rows, start=1):
        for col, (convert, raw) in enumerate(zip(converters, row, strict=False)):
            value = convert(raw)
            if value is None:
                continue
            if isinstance(value, str):
                if value[:1] in FORMULA_PREFIXES:  # neutralize(), inlined: the hot loop
                    value = "'" + value
                write_string(written, col, value)
            elif isinstance(value, dt.date):  # a real Excel date, sortable and filterable
                if isinstance(value, dt.datetime):
                    write_datetime(written, col, value, datetime_fmt)
                else:
                    write_datetime(written, col, value, date_fmt)
            else:
                write_number(written, col, value)
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.close()
    if progress is not None:
        progress(written)
    return written

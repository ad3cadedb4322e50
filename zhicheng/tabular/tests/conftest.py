"""Fixtures for the engine's tests: workbooks built in memory, organizations rows, Huey inline."""

import io
import zipfile

import pytest
import xlsxwriter
from huey.contrib.djhuey import HUEY

from zhicheng.common.validators import uscc_check_char

ORG_HEADERS = [
    "机构名称*",
    "统一社会信用代码*",
    "机构类型*",
    "行政区划代码*",
    "上级机构统一社会信用代码*",
]


def make_uscc(n: int, region: str = "320115") -> str:
    """A valid 统一社会信用代码 numbered ``n`` (distinct n → distinct code)."""
    first17 = "91" + region + f"MA{n:07d}"
    return first17 + uscc_check_char(first17)


def build_xlsx(rows, headers=ORG_HEADERS, *, sheet="机构", blank_formatted_rows=0) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    ws = workbook.add_worksheet(sheet)
    ws.write_row(0, 0, headers)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(i, j, value)
    if blank_formatted_rows:
        border = workbook.add_format({"border": 1, "bg_color": "#FFFF00"})
        start = len(rows) + 1
        for i in range(start, start + blank_formatted_rows):
            for j in range(len(headers)):
                ws.write_blank(i, j, None, border)
    workbook.close()
    return buffer.getvalue()


def upload(data: bytes, name: str = "机构.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    """The same xlsx with one zip member replaced (to craft hostile files)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = content if item.filename == member else source.read(item.filename)
            target.writestr(item.filename, body)
    return out.getvalue()


@pytest.fixture
def org_row(orgs):
    """``org_row(n, parent=orgs key or uscc)`` → a valid row under an existing organization."""

    def make(n: int, parent="county_jn", name: str | None = None, org_type="用人单位"):
        parent_uscc = orgs[parent].uscc if parent in orgs else parent
        return [name or f"导入测试单位{n}", make_uscc(n), org_type, "320115", parent_uscc]

    return make


@pytest.fixture
def huey_immediate():
    previous = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_TMP_DIR = tmp_path / "var-tmp" / "exports"
    return settings.MEDIA_ROOT


def read_xlsx(content: bytes, sheet: int | str = 0) -> list[list]:
    """All rows of one sheet of a workbook, as lists of cell values."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content

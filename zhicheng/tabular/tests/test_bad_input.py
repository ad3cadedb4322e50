"""Every kind of bad upload gets a clear Chinese message and changes nothing."""

import io
import os
import time
import zipfile

import pytest
import xlsxwriter

from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import Organization
from zhicheng.tabular import reader, services
from zhicheng.tabular.models import ImportBatch
from zhicheng.tabular.tests.conftest import ORG_HEADERS, build_xlsx, replace_member, upload

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>
</worksheet>"""


@pytest.fixture
def refused(hr_city):
    """``refused(data)`` → the message of the ApplicationError; asserts nothing was written."""

    def check(data: bytes, name: str = "机构.xlsx") -> str:
        orgs_before = Organization.objects.count()
        with pytest.raises(ApplicationError) as caught:
            services.import_preview(
                actor=hr_city, key="organizations", fileobj=upload(data, name), file_name=name
            )
        assert ImportBatch.objects.count() == 0
        assert Organization.objects.count() == orgs_before
        return caught.value.message

    return check


def test_a_csv_renamed_to_xlsx_is_refused_as_not_an_excel_file(refused):
    csv = "机构名称,统一社会信用代码\n测试单位,91320115MA00000016\n".encode()
    assert "请上传 Excel 工作簿（.xlsx）" in refused(csv)


def test_a_text_file_is_refused_as_not_an_excel_file(refused):
    assert "请上传 Excel 工作簿（.xlsx）" in refused(b"hello, this is not a workbook")


def test_a_legacy_xls_file_is_refused_with_a_hint_to_save_as_xlsx(refused):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    assert "另存为 .xlsx" in refused(ole2, "机构.xls")


def test_an_empty_file_is_refused(refused):
    assert "为空" in refused(b"")


def test_a_truncated_zip_is_refused_as_corrupt(refused, org_row):
    data = build_xlsx([org_row(1)])
    assert "已损坏" in refused(data[: len(data) // 2])


def test_a_zip_that_is_not_a_workbook_is_refused(refused):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert "请上传 Excel 工作簿（.xlsx）" in refused(buffer.getvalue())


def test_a_workbook_with_a_damaged_sheet_is_refused_as_corrupt(refused, org_row):
    data = replace_member(build_xlsx([org_row(1)]), "xl/worksheets/sheet1.xml", b"<worksheet><sh")
    assert "已损坏" in refused(data)


def test_a_billion_laughs_sheet_is_refused_before_any_xml_parsing(refused, org_row, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a file with a DTD")

    monkeypatch.setattr(reader, "_open_workbook", never)
    data = replace_member(build_xlsx([org_row(1)]), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    started = time.monotonic()
    message = refused(data)
    assert "XML 实体声明" in message
    assert time.monotonic() - started < 2


def test_an_entity_declaration_in_shared_strings_is_refused(refused, org_row):
    data = replace_member(build_xlsx([org_row(1)]), "xl/sharedStrings.xml", BILLION_LAUGHS)
    assert "XML 实体声明" in refused(data)


def test_a_utf16_encoded_dtd_is_refused_too(refused, org_row):
    bomb = BILLION_LAUGHS.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = replace_member(
        build_xlsx([org_row(1)]), "xl/worksheets/sheet1.xml", bomb.encode("utf-16")
    )
    assert "XML 实体声明" in refused(data)


def test_a_zip_bomb_is_refused_by_its_uncompressed_size(refused, org_row, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    source = build_xlsx([org_row(1)])
    buffer = io.BytesIO(source)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024  # small on disk, large when inflated
    assert "压缩炸弹" in refused(buffer.getvalue())


def test_a_file_over_10_mb_is_refused_before_it_is_opened(refused, settings):
    assert settings.IMPORT_MAX_BYTES == 10 * 1024 * 1024
    big = b"PK\x03\x04" + os.urandom(settings.IMPORT_MAX_BYTES)
    assert "超过上限 10 MB" in refused(big)


def test_the_size_limit_follows_the_setting(refused, settings, org_row):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    data = build_xlsx([org_row(1)])
    padded = io.BytesIO(data)
    with zipfile.ZipFile(padded, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(1024 * 1024))
    assert "超过上限 1 MB" in refused(padded.getvalue())


def test_more_rows_than_the_limit_are_refused(refused, settings, org_row):
    assert settings.IMPORT_MAX_ROWS == 50_000
    settings.IMPORT_MAX_ROWS = 10
    assert "超过 10 行上限" in refused(build_xlsx([org_row(i) for i in range(11)]))


def test_exactly_the_row_limit_is_accepted_and_formatted_blank_rows_do_not_count(
    settings, hr_city, org_row
):
    settings.IMPORT_MAX_ROWS = 10
    data = build_xlsx([org_row(i) for i in range(10)], blank_formatted_rows=200)
    batch = services.import_preview(actor=hr_city, key="organizations", fileobj=upload(data))
    assert (batch.total, batch.valid_count, batch.invalid_count) == (10, 10, 0)


def test_a_missing_column_is_named_in_the_message(refused, org_row):
    headers = [h for h in ORG_HEADERS if not h.startswith("统一社会信用代码")]
    rows = [[r[0], *r[2:]] for r in [org_row(1)]]
    message = refused(build_xlsx(rows, headers))
    assert "缺少列：“统一社会信用代码”" in message


def test_a_renamed_column_is_reported_as_missing_and_unrecognised(refused, org_row):
    headers = ["机构名称", "信用代码", "机构类型", "行政区划代码", "上级机构统一社会信用代码"]
    message = refused(build_xlsx([org_row(1)], headers))
    assert "缺少列：“统一社会信用代码”" in message
    assert "无法识别的列：“信用代码”" in message


def test_a_repeated_column_is_refused(refused, org_row):
    headers = [*ORG_HEADERS, "机构名称"]
    assert "重复的列：“机构名称”" in refused(build_xlsx([[*org_row(1), "x"]], headers))


def test_a_sheet_without_a_header_row_is_refused(refused, org_row):
    assert "第一行应为表头" in refused(build_xlsx([org_row(1)], headers=[]))


def test_a_template_with_no_data_rows_is_refused(refused):
    assert "没有可导入的数据行" in refused(build_xlsx([], blank_formatted_rows=50))


def test_columns_may_come_in_any_order_and_without_the_required_marks(hr_city, org_row):
    order = [4, 3, 2, 1, 0]
    headers = [ORG_HEADERS[i].rstrip("*") for i in order]
    rows = [[row[i] for i in order] for row in (org_row(1), org_row(2))]
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx(rows, headers))
    )
    assert batch.valid_count == 2
    assert {r["data"]["name"] for r in batch.rows} == {"导入测试单位1", "导入测试单位2"}


def test_formatted_but_empty_rows_between_data_are_ignored_not_failed(hr_city, org_row):
    rows = [org_row(1), [None] * 5, ["  ", "", None, "", ""], org_row(2)]
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx(rows))
    )
    assert (batch.total, batch.valid_count, batch.invalid_count) == (2, 2, 0)
    assert [r["row"] for r in batch.rows] == [2, 5]


def test_duplicate_codes_within_the_file_fail_the_later_rows(hr_city, org_row):
    first, second = org_row(1), org_row(1, name="同码的另一家单位")
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx([first, org_row(2), second]))
    )
    assert (batch.valid_count, batch.invalid_count) == (2, 1)
    assert batch.errors[0]["row"] == 4
    assert "统一社会信用代码与第2行重复" in batch.errors[0]["message"]


def test_a_code_already_in_the_database_fails_its_row(hr_city, orgs, org_row):
    row = org_row(1)
    row[1] = orgs["unit_a"].uscc
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx([row, org_row(2)]))
    )
    assert batch.invalid_count == 1
    assert batch.errors[0]["message"] == "统一社会信用代码已存在（系统中已有该机构）"


def test_numbers_typed_into_code_cells_are_read_as_the_digits_typed(hr_city, org_row):
    row = org_row(1)
    row[3] = 320115  # a number cell, not text
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx([row]))
    )
    assert batch.valid_count == 1
    assert batch.rows[0]["data"]["region_code"] == "320115"


def _member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    header = data[info.header_offset : info.header_offset + 30]
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def test_a_damaged_compressed_stream_is_refused_as_corrupt(refused, org_row):
    data = bytearray(build_xlsx([org_row(i) for i in range(50)]))
    start, size = _member_data_offset(bytes(data), "xl/worksheets/sheet1.xml")
    for i in range(start + size // 3, start + size // 3 + 64):
        data[i] ^= 0xA5
    assert "已损坏" in refused(bytes(data))


def test_an_encrypted_member_is_refused_as_corrupt(refused, org_row):
    data = bytearray(build_xlsx([org_row(1)]))
    name = b"xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode())
    data[info.header_offset + 6] |= 0x1  # local header: "encrypted, password required"
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 8] |= 0x1  # and its central directory entry
    assert "已损坏" in refused(bytes(data))


def test_formula_cells_are_refused_with_the_row_and_column_named(hr_city, org_row):
    """Issue 9: a formula's cached value was imported (an organization named "0")."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet("机构")
    sheet.write_row(0, 0, ORG_HEADERS)
    sheet.write_row(1, 0, org_row(1))
    formula_row = org_row(2)
    sheet.write_row(2, 0, formula_row)
    sheet.write_formula(2, 0, '=""&0')  # xlsxwriter stores 0 as the cached value
    sheet.write_row(3, 0, org_row(3))
    sheet.write_formula(3, 3, "=320115", None, "320115")  # right cached value, still refused
    sheet.write_string(4, 0, "=不是公式的文字")  # text that only looks like a formula is text
    sheet.write_row(4, 1, org_row(4)[1:])
    workbook.close()
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(buffer.getvalue())
    )
    assert (batch.total, batch.valid_count) == (4, 2)
    assert [e["row"] for e in batch.errors] == [3, 4]
    assert batch.errors[0]["message"].startswith("“机构名称”列（A3）是公式，导入不接受公式")
    assert batch.errors[1]["message"].startswith("“行政区划代码”列（D4）是公式")
    assert [r["row"] for r in batch.rows] == [2, 5]
    assert Organization.objects.filter(name="0").count() == 0


def test_a_workbook_without_formulas_is_read_once(hr_city, org_row, monkeypatch):
    calls = []
    monkeypatch.setattr(reader, "_formula_cells", lambda *a: calls.append(a) or {})
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(build_xlsx([org_row(1)]))
    )
    assert batch.valid_count == 1 and calls == []

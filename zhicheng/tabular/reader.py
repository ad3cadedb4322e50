"""Reading an uploaded workbook safely: checked by content and size before openpyxl parses it.

Order of checks (each refuses with a Chinese message and reads nothing further):
size ≤ ``IMPORT_MAX_BYTES`` → zip signature (a renamed .csv/.txt/.xls is refused) → a readable
zip with a workbook → total uncompressed size (zip bomb; Python's zipfile never inflates a member
beyond its declared size) → no DTD in any XML part (billion laughs / external entities: refused,
never parsed) → openpyxl in read-only mode, streaming, stopping past ``IMPORT_MAX_ROWS`` rows.

Formula cells are refused, row by row with the column named: openpyxl would read their cached
value, which is whatever the program that saved the file put there (``0`` for files written
without a calculation engine) — not what the user sees. A quick scan of the worksheet XML finds
whether there is any formula at all; only then is the sheet read a second time for their places.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings

from zhicheng.common.errors import ApplicationError
from zhicheng.tabular.engine import IGNORED_HEADERS, ImportRow, ImportSpec, normalize_header

logger = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE2 files)
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1024 * 1024
# A formula element in a worksheet part: <f>…</f>, <f t="shared" …/>, or with a prefix (<x:f>).
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")

NOT_XLSX = "文件格式不正确：请上传 Excel 工作簿（.xlsx），可先下载模板填写"
CORRUPT = "文件已损坏或不是有效的 Excel 工作簿（.xlsx），无法读取"


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 50_000))


def check_upload(fileobj: IO[bytes], *, size: int | None = None) -> None:
    """Size, signature, zip structure, uncompressed size and DTD-free XML; else ApplicationError."""
    limit = max_bytes()
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    if size == 0:
        raise ApplicationError("上传的文件为空")
    if size > limit:
        raise ApplicationError(f"文件大小超过上限 {limit // (1024 * 1024)} MB，请拆分后分批导入")
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(OLE2_MAGIC):
        raise ApplicationError(
            "不支持旧版 Excel 97-2003（.xls）格式，请在 Excel 中另存为 .xlsx 后上传"
        )
    if not head.startswith(ZIP_MAGIC):
        raise ApplicationError(NOT_XLSX)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ApplicationError(NOT_XLSX)
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
                raise ApplicationError("文件解压后体积异常（疑似压缩炸弹），已拒绝导入")
            for member in members:
                if member.filename.lower().endswith(_XML_SUFFIXES):
                    _refuse_dtd(archive, member)
    except ApplicationError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, encrypted or unsupported members, …
        logger.info("refused upload: %r", exc)
        raise ApplicationError(CORRUPT) from None
    finally:
        fileobj.seek(0)


def _refuse_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """An .xlsx never needs a DTD; one in any part means an entity attack — refuse unparsed."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                raise ApplicationError(
                    "文件包含不允许的 XML 实体声明（DTD），可能是恶意构造的文件，已拒绝导入"
                )
            tail = window[-32:]


def _open_workbook(fileobj: IO[bytes]):
    from openpyxl import load_workbook

    try:
        return load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # any parse failure of user input is a corrupt file, never a 500
        logger.info("openpyxl refused upload: %r", exc)
        raise ApplicationError(CORRUPT) from None


def _match_headers(spec: ImportSpec, header: tuple) -> list[int | None]:
    """Index of each spec column in the sheet; refuses missing, renamed or repeated columns."""
    positions: dict[str, int] = {}
    repeated: list[str] = []
    for index, cell in enumerate(header):
        name = normalize_header(cell)
        if not name or name in IGNORED_HEADERS:
            continue
        if name in positions:
            repeated.append(name)
        positions[name] = index
    expected = [normalize_header(h) for h in spec.headers]
    unknown = [name for name in positions if name not in expected]
    missing = [h for h, norm in zip(spec.headers, expected, strict=True) if norm not in positions]
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(f"“{h}”" for h in missing))
    if unknown:
        problems.append("无法识别的列：" + "、".join(f"“{h}”" for h in unknown))
    if repeated:
        problems.append("重复的列：" + "、".join(f"“{h}”" for h in repeated))
    if problems:
        raise ApplicationError(
            "表头与模板不一致（" + "；".join(problems) + "）。请下载最新模板，勿修改第一行表头"
        )
    return [positions[norm] for norm in expected]


def _has_formulas(fileobj: IO[bytes]) -> bool:
    """Whether any worksheet part holds a formula element (the archive was checked before)."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            for member in archive.infolist():
                name = member.filename
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                tail = b""
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    finally:
        fileobj.seek(0)
    return False


def _formula_cells(spec: ImportSpec, fileobj: IO[bytes]) -> dict[int, list[str]]:
    """Row number → "“列名”列（B3）" of each imported column holding a formula."""
    from openpyxl import load_workbook

    found: dict[int, list[str]] = {}
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:
        logger.info("openpyxl refused upload: %r", exc)
        raise ApplicationError(CORRUPT) from None
    try:
        sheet = workbook.worksheets[0]
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if not header:
            return found
        while header and not normalize_header(header[-1]):
            header = header[:-1]
        positions = _match_headers(spec, header)
        for cells in sheet.iter_rows(min_row=2, max_col=len(header)):
            for column, index in zip(spec.columns, positions, strict=True):
                cell = cells[index] if index is not None and index < len(cells) else None
                if getattr(cell, "data_type", None) == "f":
                    found.setdefault(cell.row, []).append(
                        f"“{column.header}”列（{cell.coordinate}）"
                    )
    finally:
        workbook.close()
        fileobj.seek(0)
    return found


def read_rows(spec: ImportSpec, fileobj: IO[bytes]) -> list[ImportRow]:
    """Parse every non-empty data row of the first sheet into ``ImportRow`` (column checks only).

    Formatted but empty rows are skipped and not counted; a row with a formula in an imported
    column is an error naming the cells.
    """
    try:
        formulas = _formula_cells(spec, fileobj) if _has_formulas(fileobj) else {}
    except ApplicationError:
        raise
    except Exception as exc:  # a malformed sheet part discovered while streaming
        logger.info("openpyxl failed while looking for formulas: %r", exc)
        raise ApplicationError(CORRUPT) from None
    workbook = _open_workbook(fileobj)
    try:
        return list(_iter_rows(spec, workbook, formulas))
    except ApplicationError:
        raise
    except Exception as exc:  # a malformed sheet part discovered while streaming
        logger.info("openpyxl failed while streaming: %r", exc)
        raise ApplicationError(CORRUPT) from None
    finally:
        workbook.close()


def _iter_rows(
    spec: ImportSpec, workbook, formulas: dict[int, list[str]] | None = None
) -> Iterator[ImportRow]:
    formulas = formulas or {}
    if not workbook.worksheets:
        raise ApplicationError(CORRUPT)
    sheet = workbook.worksheets[0]
    header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
    if not header or not any(normalize_header(c) for c in header):
        raise ApplicationError("文件第一行应为表头，请使用下载的模板填写")
    while header and not normalize_header(header[-1]):
        header = header[:-1]
    positions = _match_headers(spec, header)
    limit = max_rows()
    width = len(header)
    count = 0
    for number, cells in enumerate(
        sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
    ):
        picked = [cells[i] if i < len(cells) else None for i in positions]
        in_formula = formulas.get(number)
        if not in_formula and all(
            v is None or (isinstance(v, str) and not v.strip()) for v in picked
        ):
            continue
        count += 1
        if count > limit:
            raise ApplicationError(f"数据超过 {limit} 行上限，请拆分后分批导入")
        row = spec.parse_row(number, picked)
        if in_formula:
            row.add_error(
                "、".join(in_formula) + "是公式，导入不接受公式（只会读到文件中缓存的结果）；"
                "请复制后“选择性粘贴为数值”，或直接填写内容"
            )
        yield row

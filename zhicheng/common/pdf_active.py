"""Active PDF content — scripts, automatic actions, embedded files — found before a PDF is kept.

Attachments (电子档案, 方案附件) are shown inline in the reviewers' browsers, so a PDF that can
act by itself is refused. What counts as active, and why:

- ``/JS``, ``/JavaScript`` anywhere (a JavaScript action, the document-level script name tree);
  XFA forms (``/XFA``), which carry their own scripts;
- ``/AA`` (additional actions: run when a page opens or closes, a field gets focus…);
- ``/OpenAction`` unless it only shows a page: a destination (array or name) or a ``/GoTo``
  action — LibreOffice, WPS and Word write ``/OpenAction [page /XYZ …]`` in ordinary exports;
- actions of the types ``/Launch`` (run a program), ``/SubmitForm`` / ``/ImportData`` (send or
  load data), ``/GoToE`` (open an embedded document), ``/RichMediaExecute`` — wherever they are,
  a link included;
- embedded files (``/EmbeddedFiles``, ``/EF``, ``/Type /EmbeddedFile``: an executable can hide in
  a PDF's attachments) and rich media (``/RichMedia…``: Flash, video).

Links to web pages (``/URI`` on a click) and ordinary forms stay allowed: scanned certificates
and documents exported from office software pass.

Two readings, each catching what the other could miss:

1. **Structure** — pyHanko's reader (already a dependency: it signs the certificates) follows the
   document from its trailer as a viewer does: cross-reference streams, compressed object
   streams, incremental updates, ``#xx``-escaped names (``/J#61vaScript`` is ``/JavaScript``).
   A PDF it cannot read is refused too: what cannot be checked is not kept.
2. **Raw bytes** — every name written outside stream data and strings, ``#xx`` decoded, plus the
   content of every ``/ObjStm`` object stream (inflated, bounded): objects the cross-reference
   does not list, which a viewer repairing a damaged file would still find. Stream data (page
   content, images, fonts) is skipped — a 20 MB scan's image bytes would otherwise spell ``/JS``
   by chance.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import deque

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

# Keys that make a dictionary active, with what to tell the user.
_ACTIVE_KEYS = {
    "/JS": "JavaScript 脚本",
    "/JavaScript": "JavaScript 脚本",
    "/XFA": "XFA 动态表单",
    "/AA": "自动执行的动作",
    "/EmbeddedFiles": "嵌入的文件",
    "/EF": "嵌入的文件",
    "/RichMediaContent": "富媒体",
    "/RichMediaSettings": "富媒体",
}
# Action types (``/S``) refused wherever they are.
_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript 脚本",
    "/Launch": "启动外部程序",
    "/SubmitForm": "提交表单数据",
    "/ImportData": "导入外部数据",
    "/GoToE": "打开嵌入的文件",
    "/RichMediaExecute": "富媒体",
}
_ACTIVE_TYPES = {"/EmbeddedFile": "嵌入的文件", "/RichMedia": "富媒体"}

# Names refused by the raw reading (no structure there to tell an /OpenAction's destination from
# an action; the structural reading judges those).
_RAW_NAMES = {
    **{key: what for key, what in _ACTIVE_KEYS.items() if key != "/EF"},
    **_ACTIVE_ACTIONS,
    "/EmbeddedFile": "嵌入的文件",
    "/RichMedia": "富媒体",
}

# pyHanko reads ~10,000 objects a second on a busy core: a document past this is not checked
# (nor kept) — scans and office exports hold hundreds to a few thousand.
MAX_OBJECTS = 100_000
MAX_INFLATED_BYTES = 64 * 1024 * 1024


class UnreadablePdf(Exception):
    """The file cannot be read as a PDF (so it cannot be checked)."""


def pdf_active_content(data: bytes) -> str | None:
    """What makes this PDF active (Chinese), or None for a plain document.

    Raises :class:`UnreadablePdf` when the file cannot be read as a PDF.
    """
    return _raw_active(data) or _structural_active(data)


# --- 1. structure ----------------------------------------------------------------------------


def _structural_active(data: bytes) -> str | None:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        # An empty user password opens it in every viewer; anything else cannot be checked
        # (nor read by a reviewer).
        if reader.encrypted and reader.decrypt(b"").status == AuthStatus.FAILED:
            raise UnreadablePdf()
        return _walk(reader)
    except UnreadablePdf:
        raise
    except Exception as error:  # any parse error of untrusted input
        raise UnreadablePdf() from error


def _walk(reader: PdfFileReader) -> str | None:
    seen: set[tuple[int, int]] = set()
    pending: deque = deque([reader.trailer.flatten()])
    while pending:
        obj = pending.popleft()
        if isinstance(obj, generic.IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            if len(seen) >= MAX_OBJECTS:
                raise UnreadablePdf()
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, generic.DictionaryObject):
            found = _active_dictionary(obj)
            if found:
                return found
            pending.extend(value for value in obj.values() if isinstance(value, _CONTAINERS))
        elif isinstance(obj, generic.ArrayObject):
            pending.extend(value for value in obj if isinstance(value, _CONTAINERS))
    return None


_CONTAINERS = (generic.IndirectObject, generic.DictionaryObject, generic.ArrayObject)


def _active_dictionary(obj: generic.DictionaryObject) -> str | None:
    for key in obj:
        if key in _ACTIVE_KEYS:
            return _ACTIVE_KEYS[key]
        if key.startswith("/RichMedia"):
            return "富媒体"
    action = obj.get("/S")
    if isinstance(action, generic.NameObject) and action in _ACTIVE_ACTIONS:
        return _ACTIVE_ACTIONS[action]
    for key in ("/Type", "/Subtype"):
        kind = obj.get(key)
        if isinstance(kind, generic.NameObject) and kind in _ACTIVE_TYPES:
            return _ACTIVE_TYPES[kind]
    if "/OpenAction" in obj:
        opens = obj.raw_get("/OpenAction")
        opens = opens.get_object() if isinstance(opens, generic.IndirectObject) else opens
        if isinstance(opens, generic.DictionaryObject) and opens.get("/S") != "/GoTo":
            return "打开文件时自动执行的动作"
    return None


# --- 2. raw bytes ----------------------------------------------------------------------------

_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%\x00]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")
_STRING_OR_COMMENT = re.compile(rb"[(%]")
_IN_STRING = re.compile(rb"[()\\]")
_LINE_END = re.compile(rb"[\r\n]")


def _streams(data: bytes):
    """(start, data start, data end, end) of each ``stream … endstream``. The end is found with
    ``bytes.find`` rather than a lazy ``.*?``: the regular expression engine steps through a
    2 MB scan's image data byte by byte (35 ms), ``find`` scans it at memory speed."""
    position = 0
    while True:
        start = _STREAM_START.search(data, position)
        if start is None:
            return
        end = data.find(b"endstream", start.end())
        if end < 0:
            return
        yield start.start(), start.end(), end, end + len(b"endstream")
        position = end + len(b"endstream")


def _raw_active(data: bytes) -> str | None:
    position = 0
    for start, data_start, data_end, end in _streams(data):
        before = data[position:start]
        found = _names_active(before)
        if found:
            return found
        # The stream's dictionary ends the text before it; an object stream holds objects.
        dictionary = _decode_names(before[before.rfind(b"obj") :])
        if _OBJSTM.search(dictionary):
            found = _names_active(_inflate(data[data_start:data_end]))
            if found:
                return found
        position = end
    return _names_active(data[position:])


def _names_active(text: bytes) -> str | None:
    for match in _NAME.finditer(_without_strings_and_comments(text)):
        name = "/" + _decode_names(match.group(1)).decode("latin-1")
        if name in _RAW_NAMES:
            return _RAW_NAMES[name]
        if name.startswith("/RichMedia"):
            return "富媒体"
    return None


def _decode_names(text: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)


def _without_strings_and_comments(text: bytes) -> bytes:
    """``text`` with its literal strings ``(…)`` and comments left out (names stay whole)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        special = _STRING_OR_COMMENT.search(text, i)
        if special is None:
            out.append(text[i:])
            break
        out.append(text[i : special.start()])
        out.append(b" ")
        if special.group() == b"%":  # to the end of the line
            line_end = _LINE_END.search(text, special.end())
            i = line_end.start() if line_end else n
            continue
        depth, i = 1, special.end()
        while depth and i < n:
            inside = _IN_STRING.search(text, i)
            if inside is None:
                i = n
                break
            token = inside.group()
            i = inside.end() + (1 if token == b"\\" else 0)
            depth += {b"(": 1, b")": -1}.get(token, 0)
    return b"".join(out)


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(raw.strip(b"\r\n"), MAX_INFLATED_BYTES)
    except zlib.error:
        return b""  # not Flate: the structural reading decodes it through its filters

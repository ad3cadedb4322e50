"""Attachment files: content checks on upload, and ``attachment_response`` that serves one.

Content checks: PDF, JPG and PNG recognised by their bytes, not by name or the browser's content
type, with a light structural check of each (no Pillow / pypdf needed).

- PDF: starts with ``%PDF-1.x``/``%PDF-2.x`` and has an ``%%EOF`` marker near the end;
- PNG: the 8-byte signature, an ``IHDR`` chunk first with a non-zero size, ``IEND`` at the end;
- JPEG: ``FF D8 FF`` then a marker segment, and the ``FF D9`` end marker at the end (trailing
  padding tolerated).

Anything else — an executable renamed ``.pdf``, HTML, an SVG, a truncated upload — is refused
with a Chinese message. Files larger than ``MAX_ATTACHMENT_BYTES`` are refused before reading.
A PDF that can act by itself (scripts, automatic actions, embedded files: see
:mod:`zhicheng.common.pdf_active`) is refused as well.

The file is named after what it is: a JPEG uploaded as ``照片.pdf`` is kept and served as
``照片.jpg`` with ``image/jpeg`` (:func:`name_for_type`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.security import protect_inline_file

from .pdf_active import UnreadablePdf, pdf_active_content

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile


class StoredFile(Protocol):
    """A row holding one checked upload (an application's attachment, a plan's file …)."""

    file: FieldFile
    content_type: str
    original_name: str


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
TAIL_BYTES = 2048

_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _looks_like_pdf(head: bytes, tail: bytes) -> bool:
    return bool(_PDF_HEADER.match(head)) and b"%%EOF" in tail


def _looks_like_png(head: bytes, tail: bytes) -> bool:
    if not head.startswith(_PNG_SIGNATURE) or len(head) < 33:
        return False
    length, chunk = struct.unpack(">I4s", head[8:16])
    width, height = struct.unpack(">II", head[16:24])
    return chunk == b"IHDR" and length == 13 and width > 0 and height > 0 and b"IEND" in tail[-16:]


def _looks_like_jpeg(head: bytes, tail: bytes) -> bool:
    if len(head) < 4 or not head.startswith(b"\xff\xd8\xff"):
        return False
    # The first segment's marker: APPn, DQT, SOFn, DHT or COM (0xC0–0xFE).
    if not 0xC0 <= head[3] <= 0xFE:
        return False
    return tail.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")


_KINDS = (
    ("application/pdf", "pdf", _looks_like_pdf),
    ("image/png", "png", _looks_like_png),
    ("image/jpeg", "jpg", _looks_like_jpeg),
)
# Extensions a name may already carry for each type (kept as the uploader wrote them).
_EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe", "jfif"),
}


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """The detected type of an uploaded file, or ``ApplicationError`` saying what is wrong."""
    if upload is None:
        raise ApplicationError("请选择要上传的文件")
    size = upload.size or 0
    if size == 0:
        raise ApplicationError("文件为空，请重新选择")
    if size > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(
            f"文件“{upload.name}”大小为{size / 1024 / 1024:.1f}MB，超过20MB的上限"
        )
    digest = hashlib.sha256()
    head = b""
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 64:
            head += chunk[: 64 - len(head)]
        tail = (tail + chunk)[-TAIL_BYTES:]
        digest.update(chunk)
    upload.seek(0)
    for content_type, extension, looks_like in _KINDS:
        if looks_like(head, tail):
            if content_type == "application/pdf":
                _refuse_active_pdf(upload)
            return CheckedFile(content_type, extension, size, digest.hexdigest())
    raise ApplicationError(
        f"文件“{upload.name}”不是有效的PDF、JPG或PNG文件（按文件内容检查），请重新选择"
    )


def _refuse_active_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        what = pdf_active_content(data)
    except UnreadablePdf:
        raise ApplicationError(
            f"文件“{upload.name}”的PDF结构无法读取，无法检查其中是否含有脚本，"
            "请用办公软件或扫描软件重新导出为PDF后上传"
        ) from None
    if what:
        raise ApplicationError(
            f"文件“{upload.name}”含有{what}，存在安全风险，不能上传。"
            "请用办公软件“导出为PDF”或“打印为PDF”另存为普通PDF后重新上传"
        )


def uploaded_name(upload: UploadedFile, checked: CheckedFile) -> str:
    """The uploader's file name without any path, ending with the extension of the type its
    content was recognised as (shown to users and in downloads, never used on disk)."""
    name = (getattr(upload, "name", "") or "附件").replace("\\", "/").rsplit("/", 1)[-1]
    return name_for_type(name, checked.content_type, limit=200)


def name_for_type(name: str, content_type: str, *, limit: int = 200) -> str:
    """``name`` with an extension of ``content_type``: ``照片.pdf`` holding a JPEG → ``照片.jpg``."""
    extensions = _EXTENSIONS.get(content_type)
    if not extensions:
        return name[:limit]
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and _EXTENSION.fullmatch(extension)):
        stem, extension = name, ""  # no extension, or a dot inside the name ("v1.2 申报表")
    suffix = "." + (extension if extension.lower() in extensions else extensions[0])
    return stem[: limit - len(suffix)] + suffix


def random_stored_name(checked: CheckedFile) -> str:
    """A file's name on disk: random, with the extension its content was recognised as."""
    return f"{secrets.token_hex(16)}.{checked.extension}"


def save_with_file(row, upload: UploadedFile) -> None:
    """Store ``upload`` as ``row.file`` (under ``row.stored_name``), validate and save the row;
    if the row does not land, the file is removed again. (Should an outer transaction roll back
    later, the orphan is harmless: a random name that no view serves without its row.)"""
    row.file.save(row.stored_name, upload, save=False)
    try:
        full_clean_or_raise(row, exclude=["file"])
        row.save()
    except Exception:
        row.file.storage.delete(row.file.name)
        raise


def attachment_response(attachment: StoredFile) -> FileResponse:
    """The file inline (preview in the browser), never sniffed into another type."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        filename=name_for_type(attachment.original_name, attachment.content_type),
    )
    return protect_inline_file(response)

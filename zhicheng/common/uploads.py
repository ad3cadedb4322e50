"""Uploads past their limit are refused early, not after the whole body has been received.

Two layers, both before any view code touches the body:

- :class:`UploadLimitMiddleware` (``process_view``, before CSRF reads the form): a multipart
  request whose ``Content-Length`` is over the largest file any form accepts
  (``ZHICHENG_UPLOAD_MAX_BYTES``, 20 MB: 电子档案 attachments) plus :data:`MULTIPART_OVERHEAD`
  is answered at once with a Chinese message, and its body is never read: 413 (JSON
  ``{"detail"}`` under ``/api/``, a page otherwise) or, for HTMX, the message as an alert
  fragment with 200 (htmx swaps nothing on an error status).
- :class:`UploadLimitHandler`, first of ``FILE_UPLOAD_HANDLERS``: a file that passes its view's
  limit (:func:`upload_limit`, else ``ZHICHENG_UPLOAD_MAX_BYTES``) goes no further to the
  storage handlers — what they wrote is closed and deleted, the rest of the part is only
  counted — and the view receives an :class:`OversizedUpload`: the file's name and real size,
  no content. The view's own size check then refuses it with the message it always gave
  (imports: "文件大小超过上限 10 MB，请拆分后分批导入"; attachments: "文件“…”大小为…MB，超过20MB的
  上限").

The reverse proxy's own body limit (nginx ``client_max_body_size``) stays the first line.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zhicheng.common.api import API_PREFIX
from zhicheng.common.redirects import safe_target

MB = 1024 * 1024
# Room for the form's other fields and the part headers around the largest file.
MULTIPART_OVERHEAD = 512 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

Limit = int | Callable[[], int]


def max_upload_bytes() -> int:
    """The largest file any form accepts."""
    return int(getattr(settings, "ZHICHENG_UPLOAD_MAX_BYTES", 20 * MB))


def upload_limit(max_bytes: Limit):
    """Declare a view's (or a DRF action's) file limit, a number or a callable read per request.

    Files over it stop being received; the view still sees their name and real size.
    """

    def mark(view):
        view.upload_max_bytes = max_bytes
        return view

    return mark


def _declared_limit(request: HttpRequest) -> int | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    view = match.func
    candidates: list[Any] = [view, getattr(view, "view_class", None)]
    actions = getattr(view, "actions", None)  # a DRF viewset route: method → action name
    if actions and getattr(view, "cls", None) is not None:
        action = actions.get(request.method.lower())
        candidates.insert(0, getattr(view.cls, action, None) if action else None)
    for candidate in candidates:
        limit = getattr(candidate, "upload_max_bytes", None)
        if limit is not None:
            return int(limit() if callable(limit) else limit)
    return None


def file_limit(request: HttpRequest) -> int:
    """The limit of one file uploaded to this request's view."""
    declared = _declared_limit(request)
    return declared if declared is not None else max_upload_bytes()


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


class OversizedUpload(UploadedFile):
    """A file that passed its limit: its name and real size, its content dropped (reads b"")."""

    def __init__(self, *, name: str, size: int, content_type: str, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class UploadLimitHandler(FileUploadHandler):
    """Stops receiving a file once it passes its limit (see the module docstring)."""

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        self.limit = file_limit(self.request)
        self.received = 0
        # Files the storage handlers held before this part (earlier, finished files) are
        # not this part's: only newer ones are dropped should this file grow too large.
        self.earlier_files = {id(getattr(h, "file", None)) for h in self.request.upload_handlers}
        # A part that declares its own length (rare) is judged before a byte is stored.
        self.oversized = content_length is not None and content_length > self.limit
        if self.oversized:
            raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.oversized:
            return None
        if self.received > self.limit:
            self.oversized = True
            self._drop_stored_part()
            return None
        return raw_data

    def file_complete(self, file_size):
        if not self.oversized:
            return None
        return OversizedUpload(
            name=self.file_name,
            size=self.received,
            content_type=self.content_type,
            charset=self.charset,
        )

    def _drop_stored_part(self) -> None:
        """Close (a temporary file: delete) what the storage handlers received of this file.

        Django keeps each handler's current file in ``handler.file`` (its parser closes them
        the same way on an aborted upload); they get no more chunks and, as this handler
        answers ``file_complete`` first, are never asked for the file.
        """
        for handler in self.request.upload_handlers:
            stored = getattr(handler, "file", None)
            if handler is not self and stored is not None and id(stored) not in self.earlier_files:
                stored.close()


class UploadLimitMiddleware:
    """Refuses a multipart body over the largest allowed upload without reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        if not request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django's parser refuses it with a 400
        if length <= max_upload_bytes() + MULTIPART_OVERHEAD:
            return None
        limit = file_limit(request)
        message = (
            f"上传的文件过大（{_megabytes(length)}MB），单个文件不能超过{_megabytes(limit)}MB，"
            "请重新选择"
        )
        return too_large_response(request, message)


def too_large_response(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "code": "upload_too_large"}, status=413)
    context = {"message": message}
    if request.headers.get("HX-Request") == "true":
        return render(request, "413.html#message", context)
    if back_url := safe_target(request, request.headers.get("Referer", ""), ""):
        context["back_url"] = back_url
    return render(request, "413.html", context, status=413)

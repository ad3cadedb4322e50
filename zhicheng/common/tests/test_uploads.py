"""UploadLimitHandler and UploadLimitMiddleware on their own (the imports and the 电子档案 are
tested through their pages and APIs in tabular/tests and applications/tests)."""

import os

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory
from django.urls import ResolverMatch
from django.views import View

from zhicheng.common.uploads import (
    MULTIPART_OVERHEAD,
    OversizedUpload,
    UploadLimitMiddleware,
    file_limit,
    upload_limit,
)

MB = 1024 * 1024


def request_to(view, data, **extra):
    request = RequestFactory().post("/somewhere/", data, **extra)
    request.resolver_match = ResolverMatch(view, (), {})
    return request


def plain_view(request):
    raise AssertionError("not called")


@upload_limit(1 * MB)
def limited_view(request):
    raise AssertionError("not called")


@upload_limit(lambda: 2 * MB)
class LimitedPage(View):
    pass


def test_the_limit_comes_from_the_view_or_else_the_largest_upload():
    assert file_limit(request_to(plain_view, {})) == settings.ZHICHENG_UPLOAD_MAX_BYTES
    assert file_limit(request_to(limited_view, {})) == 1 * MB
    assert file_limit(request_to(LimitedPage.as_view(), {})) == 2 * MB
    assert file_limit(RequestFactory().post("/unresolved/")) == settings.ZHICHENG_UPLOAD_MAX_BYTES


def test_a_drf_action_declares_its_limit():
    from zhicheng.orgs.api import OrganizationViewSet

    view = OrganizationViewSet.as_view({"post": "import_file"})
    assert file_limit(request_to(view, {})) == settings.IMPORT_MAX_BYTES


def test_only_the_oversized_file_is_cut_the_others_arrive_whole():
    small, big = os.urandom(3 * MB), os.urandom(int(1.5 * MB))
    request = request_to(
        limited_view,
        {
            "first": SimpleUploadedFile("a.bin", small[: MB // 2]),
            "second": SimpleUploadedFile("b.bin", big),
            "third": SimpleUploadedFile("c.bin", small),
            "note": "after the files",
        },
    )
    files = request.FILES
    assert files["first"].read() == small[: MB // 2]
    assert isinstance(files["second"], OversizedUpload)
    assert (files["second"].name, files["second"].size) == ("b.bin", len(big))
    assert files["second"].read() == b""
    assert isinstance(files["third"], OversizedUpload)  # 3 MB over 1 MB
    assert request.POST["note"] == "after the files"


def test_the_stored_part_of_an_oversized_file_is_deleted(settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes to a temporary file
    created: list[TemporaryUploadedFile] = []
    real_init = TemporaryUploadedFile.__init__

    def tracking(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", tracking)
    request = request_to(
        limited_view,
        {
            "ok": SimpleUploadedFile("ok.bin", b"x" * 1000),
            "big": SimpleUploadedFile("big.bin", os.urandom(2 * MB)),
        },
    )
    assert request.FILES["ok"].read() == b"x" * 1000
    assert isinstance(request.FILES["big"], OversizedUpload)
    kept, dropped = created
    assert not kept.closed and os.path.exists(kept.temporary_file_path())
    assert dropped.closed and not os.path.exists(dropped.file.name)


def test_a_part_declaring_a_length_over_the_limit_is_not_stored():
    boundary = "XyZ"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n"
            f"Content-Length: {2 * MB}\r\n\r\n"
        ).encode()
        + b"y" * (2 * MB)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = RequestFactory().generic(
        "POST", "/x/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    request.resolver_match = ResolverMatch(limited_view, (), {})
    upload = request.FILES["file"]
    assert isinstance(upload, OversizedUpload) and upload.size == 2 * MB


def test_the_middleware_ignores_small_bodies_and_other_content_types():
    middleware = UploadLimitMiddleware(lambda request: None)
    largest = settings.ZHICHENG_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD
    small = request_to(plain_view, {"file": SimpleUploadedFile("a.bin", b"a")})
    assert middleware.process_view(small, plain_view, (), {}) is None
    claimed = request_to(
        plain_view, {"file": SimpleUploadedFile("a.bin", b"a")}, CONTENT_LENGTH=str(largest)
    )
    assert middleware.process_view(claimed, plain_view, (), {}) is None
    json_body = RequestFactory().post(
        "/x/", "{}", content_type="application/json", CONTENT_LENGTH=str(largest + 1)
    )
    assert middleware.process_view(json_body, plain_view, (), {}) is None
    claimed.META["CONTENT_LENGTH"] = str(largest + 1)
    assert middleware.process_view(claimed, plain_view, (), {}).status_code == 413


def test_the_middleware_runs_before_csrf_reads_the_body():
    order = settings.MIDDLEWARE
    assert order.index("zhicheng.common.uploads.UploadLimitMiddleware") < order.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )
    assert settings.FILE_UPLOAD_HANDLERS[0] == "zhicheng.common.uploads.UploadLimitHandler"

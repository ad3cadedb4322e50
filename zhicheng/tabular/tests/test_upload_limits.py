"""Imports over 10 MB stop being received at the limit and get today's message; bodies over the
largest allowed upload (20 MB + overhead) are refused unread. Never a 500, nothing written."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from zhicheng.common.uploads import MULTIPART_OVERHEAD, OversizedUpload
from zhicheng.orgs.models import Organization
from zhicheng.tabular import reader
from zhicheng.tabular.models import ImportBatch
from zhicheng.tabular.tests.conftest import build_xlsx

MB = 1024 * 1024
API_URL = "/api/v1/organizations/import/"
HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_BIG = "文件大小超过上限 10 MB，请拆分后分批导入"


@pytest.fixture
def stored(monkeypatch):
    """Bytes that reached Django's storage handlers (memory / temporary file), and every file
    the import service was handed: ``stored.bytes``, ``stored.files`` [(type, size)]."""

    class Seen:
        bytes = 0
        files: list = []

    seen = Seen()
    seen.files = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        real = handler.receive_data_chunk

        def counting(self, raw_data, start, real=real):
            if getattr(self, "activated", True):  # an inactive memory handler passes it on
                seen.bytes += len(raw_data)
            return real(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    real_check = reader.check_upload

    def check(fileobj, *, size=None):
        seen.files.append((type(fileobj), size))
        return real_check(fileobj, size=size)

    monkeypatch.setattr(reader, "check_upload", check)
    return seen


@pytest.fixture
def nothing_written(db):
    orgs_before = Organization.objects.count()
    yield
    assert ImportBatch.objects.count() == 0
    assert Organization.objects.count() == orgs_before


def oversized_xlsx(size: int) -> bytes:
    return b"PK\x03\x04" + os.urandom(size - 4)


def page_upload(client, data: bytes, **extra):
    return client.post(
        reverse("tabular:upload", args=["organizations"]),
        {"file": SimpleUploadedFile("机构.xlsx", data)},
        **extra,
    )


def test_an_import_over_10_mb_stops_at_the_limit_with_todays_message(
    client, hr_city, stored, nothing_written
):
    assert reader.max_bytes() == 10 * MB
    client.force_login(hr_city)
    response = page_upload(client, oversized_xlsx(11 * MB), **HTMX)
    assert response.status_code == 200
    assert TOO_BIG in response.content.decode()
    # The service got the name and the real size, not the content; storage stopped at 10 MB.
    assert stored.files == [(OversizedUpload, 11 * MB)]
    assert stored.bytes <= 10 * MB


def test_the_import_api_gives_the_same_message(api_client, hr_city, stored, nothing_written):
    response = api_client(hr_city).post(
        API_URL,
        {"file": SimpleUploadedFile("机构.xlsx", oversized_xlsx(10 * MB + 1))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == TOO_BIG
    assert stored.files == [(OversizedUpload, 10 * MB + 1)]


def test_the_per_file_limit_follows_the_import_setting(
    client, hr_city, settings, stored, nothing_written
):
    settings.IMPORT_MAX_BYTES = 1 * MB
    client.force_login(hr_city)
    response = page_upload(client, oversized_xlsx(3 * MB), **HTMX)
    assert "文件大小超过上限 1 MB，请拆分后分批导入" in response.content.decode()
    assert stored.bytes <= 1 * MB


def test_a_file_of_exactly_the_limit_is_received_whole(client, hr_city, settings, stored):
    settings.IMPORT_MAX_BYTES = 3 * MB
    client.force_login(hr_city)
    response = page_upload(client, oversized_xlsx(3 * MB), **HTMX)
    assert response.status_code == 200
    assert "超过上限" not in response.content.decode()
    assert "已损坏" in response.content.decode()  # read whole, refused by content
    assert stored.files[0][1] == 3 * MB
    assert stored.files[0][0] is not OversizedUpload


def test_a_normal_import_still_works(client, hr_city, org_row, stored):
    client.force_login(hr_city)
    data = build_xlsx([org_row(1), org_row(2)])
    response = page_upload(client, data, **HTMX)
    assert response.status_code == 200
    assert "共 2 条：成功 2 条，失败 0 条" in response.content.decode()
    assert ImportBatch.objects.get().valid_count == 2
    assert stored.bytes == len(data)


# --- Bodies over the largest allowed upload: refused before anything reads them -------------


def claimed(length: int) -> dict:
    """A request that claims a body of ``length`` bytes and carries a tiny one: the test
    client's payload fails the test if anything tries to read past what it carries."""
    return {"CONTENT_LENGTH": str(length)}


HUGE = 500 * MB


def test_a_huge_import_body_is_refused_unread_on_the_page(client, hr_city, nothing_written):
    client.force_login(hr_city)
    response = page_upload(client, b"PK\x03\x04tiny", **HTMX, **claimed(HUGE))
    assert response.status_code == 200  # htmx swaps only 2xx answers into the dialog
    html = response.content.decode()
    assert "<html" not in html
    assert "上传的文件过大（500MB），单个文件不能超过10MB，请重新选择" in html


def test_a_huge_import_body_is_refused_unread_by_the_api(api_client, hr_city, nothing_written):
    response = api_client(hr_city).post(
        API_URL,
        {"file": SimpleUploadedFile("机构.xlsx", b"PK\x03\x04tiny")},
        format="multipart",
        **claimed(HUGE),
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "上传的文件过大（500MB），单个文件不能超过10MB，请重新选择",
        "code": "upload_too_large",
    }


def test_a_real_body_just_over_the_largest_upload_is_refused(
    api_client, hr_city, settings, stored, nothing_written
):
    assert settings.ZHICHENG_UPLOAD_MAX_BYTES == 20 * MB
    response = api_client(hr_city).post(
        API_URL,
        {"file": SimpleUploadedFile("机构.xlsx", oversized_xlsx(20 * MB + MULTIPART_OVERHEAD))},
        format="multipart",
    )
    assert response.status_code == 413
    assert "单个文件不能超过10MB" in response.json()["detail"]
    assert stored.bytes == 0 and stored.files == []


def test_an_anonymous_huge_body_is_refused_too(client, nothing_written):
    response = page_upload(client, b"tiny", **claimed(HUGE))
    assert response.status_code == 413
    assert "上传的文件过大" in response.content.decode()

"""电子档案 uploads over 20 MB stop being received at the limit and get today's message; bodies
over the largest allowed upload are refused unread. Never a 500, nothing written."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from zhicheng.applications.models import Attachment
from zhicheng.common.files import MAX_ATTACHMENT_BYTES
from zhicheng.common.uploads import MULTIPART_OVERHEAD, max_upload_bytes

from .conftest import pdf_bytes, upload

MB = 1024 * 1024
BASE = "/api/v1/applications/"
TOO_BIG = "文件“big.pdf”大小为20.1MB，超过20MB的上限"


@pytest.fixture
def stored(monkeypatch):
    """Bytes that reached Django's storage handlers (memory / temporary file)."""
    seen = {"bytes": 0}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        real = handler.receive_data_chunk

        def counting(self, raw_data, start, real=real):
            if getattr(self, "activated", True):  # an inactive memory handler passes it on
                seen["bytes"] += len(raw_data)
            return real(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return seen


@pytest.fixture
def app(draft):
    return draft("evaluation", complete=False)


@pytest.fixture
def nothing_written(app):
    yield
    assert not Attachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def big_pdf(size: int) -> bytes:
    """A PDF of ``size`` bytes: an unused stream of zeros pads it."""

    def padded(n: int) -> bytes:
        return pdf_bytes(objects=[b"<</Length %d>>stream\n%s\nendstream" % (n, b"0" * n)])

    n = 0
    while len(padded(n)) != size:
        n += size - len(padded(n))
    return padded(n)


def test_the_attachment_limit_is_the_largest_allowed_upload():
    assert MAX_ATTACHMENT_BYTES == max_upload_bytes() == 20 * MB


def test_an_attachment_over_20_mb_on_the_page_gets_todays_message(
    world, client, app, stored, nothing_written
):
    client.force_login(world.applicant)
    size = 20 * MB + 100 * 1024
    response = client.post(
        reverse("applications:application-attachments", args=[app.pk]),
        {"category": "other", "file": upload("big.pdf", big_pdf(size), "application/pdf")},
    )
    assert response.status_code == 200  # the form again, with the message
    assert TOO_BIG in response.content.decode()
    assert stored["bytes"] <= MAX_ATTACHMENT_BYTES


def test_an_attachment_over_20_mb_through_the_api_gets_todays_message(
    world, api_client, app, stored, nothing_written
):
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("big.pdf", big_pdf(20 * MB + 100 * 1024))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == TOO_BIG
    assert stored["bytes"] <= MAX_ATTACHMENT_BYTES


def test_a_huge_body_is_refused_unread_on_the_page(world, client, app, nothing_written):
    client.force_login(world.applicant)
    url = reverse("applications:application-attachments", args=[app.pk])
    response = client.post(
        url,
        {"category": "other", "file": upload("big.pdf", pdf_bytes())},
        CONTENT_LENGTH=str(300 * MB),  # more than the test payload holds: must not be read
        HTTP_REFERER=f"http://testserver{url}",
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "上传的文件过大（300MB），单个文件不能超过20MB，请重新选择" in html
    assert f'href="http://testserver{url}"' in html  # back to the form


def test_a_real_body_over_the_largest_upload_is_refused_by_the_api(
    world, api_client, app, stored, nothing_written
):
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("big.pdf", big_pdf(20 * MB + MULTIPART_OVERHEAD))},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("上传的文件过大（20.5MB）")
    assert stored["bytes"] == 0


def test_a_normal_attachment_still_uploads(world, client, api_client, app, stored):
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:application-attachments", args=[app.pk]),
        {"category": "other", "file": upload("a.pdf", pdf_bytes(), "application/pdf")},
    )
    assert response.status_code == 302
    # A larger one, through the API: a temporary file on its way (over 2 MB).
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("b.pdf", big_pdf(3 * MB), "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert sorted(Attachment.objects.values_list("size", flat=True)) == [
        len(pdf_bytes()),
        3 * MB,
    ]

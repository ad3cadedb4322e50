"""In Chromium (issue 10 #4): the 电子档案 page previews a PDF inline — the attachment is served
for same-origin embedding, so the browser neither blocks the frame nor logs a refusal."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.applications import services
from zhicheng.applications.models import AttachmentCategory
from zhicheng.common.samples import pdf_bytes

from .conftest import APPLICANT_PASSWORD, upload

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pdf_preview_is_not_blocked(page, live_server, reseeded, world, draft):
    app = draft("initial")
    attachment = services.attachment_add(
        actor=world.applicant,
        application=app,
        category=AttachmentCategory.OTHER,
        upload=upload("业绩证明.pdf", pdf_bytes(), "application/pdf"),
    )
    file_url = f"/applications/attachments/{attachment.pk}/file/"
    refused: list[str] = []
    # What a blocked frame looks like: Chromium's refusal on the console, or the file's request
    # blocked (ERR_BLOCKED_BY_RESPONSE). The PDF viewer may abort and re-read streams itself.
    page.on(
        "console",
        lambda msg: (
            refused.append(msg.text)
            if "Refused to display" in msg.text or "X-Frame-Options" in msg.text
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            refused.append(f"{request.url} {request.failure}")
            if request.url.endswith(file_url) and "BLOCKED" in (request.failure or "")
            else None
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.applicant.username)
    page.fill("#id_password", APPLICANT_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")

    with page.expect_response(lambda r: r.url.endswith(file_url)) as served:
        page.goto(f"{live_server.url}/applications/{app.pk}/attachments/")
    response = served.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    expect(page.locator(f'object[data="{file_url}"]')).to_be_visible()
    page.wait_for_timeout(500)
    assert refused == []

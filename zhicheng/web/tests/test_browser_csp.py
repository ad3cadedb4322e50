"""The Content-Security-Policy in Chromium: Chromium enforces it (an injected inline script does
not run, and the shared fixture hears the violation), and the pages that need the most — the
电子档案 with its inline PDF preview and image, Swagger UI — work under it with no violation
(every browser test fails on a violation: ``zhicheng/conftest.py``)."""

import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.applications.models import Attachment
from zhicheng.common.security import FILE_POLICY
from zhicheng.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")


@pytest.mark.csp_violations_expected
def test_chromium_refuses_an_inline_script_and_the_fixture_hears_it(page, live_server, db):
    page.goto(f"{live_server.url}/login/")
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.head.appendChild(script);
            return window.inlineRan === true;
        }"""
    )
    assert ran is False
    page.wait_for_timeout(200)  # the console message reaches Playwright


def test_the_attachments_page_previews_its_files_under_the_policy(page, live_server, demo):
    attachment = Attachment.objects.filter(
        application__applicant__username="applicant_a", content_type="application/pdf"
    ).first()
    log_in(page, live_server, "applicant_a")
    page.goto(
        live_server.url
        + reverse("applications:application-attachments", args=[attachment.application_id])
    )
    preview = page.locator("main object[type='application/pdf']").first
    expect(preview).to_be_attached()
    image = page.locator("main img.img-thumbnail").first
    expect(image).to_be_visible()
    # visible is not loaded: a blocked image never loads and the wait fails
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    served = page.request.get(live_server.url + preview.get_attribute("data"))
    assert served.headers["content-security-policy"] == FILE_POLICY
    assert served.headers["x-frame-options"] == "SAMEORIGIN"
    page.wait_for_timeout(500)  # the PDF viewer starts inside the page


def test_swagger_ui_renders_under_the_policy(page, live_server, db):
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("职称申报评审管理系统 API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()


def test_the_browsable_api_works_under_the_policy(page, live_server, hr_city):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", hr_city.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")
    page.goto(f"{live_server.url}/api/v1/organizations/")
    expect(page.locator(".response-info")).to_contain_text("count")

"""In Chromium, on the demo data (issue 14):

- unit_a returns 孙丽's application naming the 学历 module and a deadline in working days →
  she sees the 消息 (unread badge), edits only 学历 (the rest is locked), resubmits;
- a missed deadline: ``manage.py application_deadlines`` the day after → 视为放弃, told in 消息;
- the applicant pages at 375 px width: nothing wider than the screen.
"""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from zhicheng.applications.models import Application, ApplicationStatus

from .test_browser import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

SUN_LI = "320115199104170641"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _sun_li_at_unit_a() -> Application:
    return Application.objects.get(
        person__name="孙丽", status=ApplicationStatus.UNDER_REVIEW, title__name="助理研究员"
    )


def _return_with_education(page, live_server, app, workdays="5"):
    log_in(page, live_server, "unit_a")
    page.click('#sidebar a[data-menu-code="1.12"]')
    row = page.locator(f"#list-results tbody tr[data-application='{app.pk}']")
    row.get_by_role("link", name="审核", exact=True).click()
    form = page.locator("[data-testid=review-form]")
    form.locator("input[name=decision][value=return]").check()
    form.locator("input[name=modules][value=education]").check()
    form.locator("#id_deadline_workdays").fill(workdays)
    form.locator("#id_opinion").fill("学历证书扫描件不清晰，请重新上传并核对毕业院校")
    form.locator("[data-testid=review-submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回至“申报人”")


def test_a_module_return_with_a_deadline_then_resubmit(page, live_server, browser_errors):
    app = _sun_li_at_unit_a()
    _return_with_education(page, live_server, app)
    app.refresh_from_db()
    assert app.return_modules == ["education"] and app.correction_deadline

    log_in(page, live_server, SUN_LI)
    expect(page.locator("[data-testid=inbox-unread]")).to_be_visible()
    page.click("[data-testid=inbox-link]")
    item = page.locator("[data-testid=inbox-list] li[data-kind=return]").first
    expect(item).to_contain_text("退回补正")
    expect(item).to_contain_text("补正模块：学历")
    expect(item).to_contain_text(f"{app.correction_deadline:%Y-%m-%d}")
    item.get_by_role("button", name="查看").click()
    expect(page.locator("[data-testid=correction-deadline]")).to_have_text(
        f"{app.correction_deadline:%Y-%m-%d}"
    )
    expect(page.locator("[data-testid=return-modules]")).to_have_text("学历")

    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    expect(page.locator("#id_school")).to_be_enabled()
    expect(page.locator("#id_work_start_date")).to_be_disabled()
    expect(page.locator("#id_current_title_name")).to_be_disabled()
    expect(page.locator("[data-testid=work-history-locked]")).to_be_visible()
    page.fill("#id_school", "东南大学")
    page.locator("[data-testid=application-form] button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_contain_text("申报已保存")
    page.click("[data-testid=resubmit]")
    expect(page.locator(".alert-success")).to_contain_text("审核")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.school == "东南大学"
    assert (app.return_modules, app.correction_deadline) == ([], None)
    assert browser_errors == []


def test_a_missed_deadline_makes_the_application_abandoned(page, live_server, browser_errors):
    app = _sun_li_at_unit_a()
    _return_with_education(page, live_server, app, workdays="1")
    app.refresh_from_db()
    call_command(
        "application_deadlines",
        today=f"{app.correction_deadline + dt.timedelta(days=1):%Y-%m-%d}",
    )
    log_in(page, live_server, SUN_LI)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    expect(page.locator("h4 + .badge, .badge").filter(has_text="视为放弃").first).to_be_visible()
    expect(page.locator("[data-testid=resubmit]")).to_have_count(0)
    expect(page.locator("[data-testid=timeline]")).to_contain_text("逾期未补正，视为放弃")
    page.click("[data-testid=inbox-link]")
    expect(page.locator("[data-testid=inbox-list] li[data-kind=result]").first).to_contain_text(
        "已视为放弃"
    )
    page.click("[data-testid=inbox-read-all]")
    expect(page.locator("[data-testid=inbox-unread]")).to_have_count(0)
    assert browser_errors == []


def test_applicant_pages_fit_a_375_px_screen(page, live_server, browser_errors):
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, "applicant_a")
    returned = Application.objects.get(
        applicant__username="applicant_a", status=ApplicationStatus.RETURNED
    )
    for path in (
        "/persons/workspace/",
        "/inbox/",
        f"/applications/{returned.pk}/",
        f"/applications/{returned.pk}/edit/",
        f"/applications/{returned.pk}/timeline/",
        f"/applications/{returned.pk}/attachments/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    expect(page.locator("[data-testid=inbox-link]")).to_be_visible()
    assert browser_errors == []

"""In Chromium, on the demo data: hr_province closes the open 副高级 window early (after the
confirmation) and opens the next one from tomorrow on the page; a new applicant's 评审 submission
is then refused with that window's dates."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.applications.tests.test_browser import (
    fill_application,
    scans,  # noqa: F401  (fixture)
    upload_scans,
)
from zhicheng.persons.tests.factories import id_number
from zhicheng.windows.models import ApplicationWindow

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def test_an_officer_opens_a_window_and_a_submission_outside_it_is_refused(
    page,
    live_server,
    demo,
    scans,  # noqa: F811
):
    expect.set_options(timeout=20_000)
    year = timezone.localdate().year
    current = ApplicationWindow.objects.get(name=f"{year}年度工程系列副高级职称评审申报")
    log_in(page, live_server, "hr_province")
    page.click('#sidebar a[data-menu-code="x.windows"]')
    row = page.locator("tr", has_text=current.name)
    row.locator("button:has-text('提前结束')").click()
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已提前结束")
    page.click(".list-toolbar a:has-text('开设申报批次')")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_name", f"{year}年度工程系列副高级职称评审申报（第二批）")
    page.fill("#id_year", str(year))
    page.select_option("#id_series", label="工程")
    page.select_option("#id_level", value="senior_deputy")
    page.fill("#id_opens_at", f"{tomorrow:%Y-%m-%d}T09:00")
    page.fill("#id_closes_at", f"{tomorrow + dt.timedelta(days=10):%Y-%m-%d}T17:00")
    page.click("button[type=submit]:has-text('开设')")
    expect(page.locator(".alert-success")).to_contain_text("已开设申报批次")
    expect(page.locator("main")).to_contain_text("未开始")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/register/")
    page.fill("#id_name", "赵晨")
    page.fill("#id_id_number", id_number(seq="777"))
    page.fill("#id_mobile", "13851000099")
    page.fill("#id_password1", "Zc@2026pass")
    page.fill("#id_password2", "Zc@2026pass")
    page.click("button[type=submit]")
    expect(page.locator("h4", has_text="我的申报")).to_be_visible()
    fill_application(page, method="evaluation", title="高级工程师", employer="智能装备")
    upload_scans(page, scans)
    page.click("a:has-text('申报详情')")
    page.click("[data-testid=submit]")
    error = page.locator(".alert-danger.alert-dismissible")
    expect(error).to_contain_text("尚未开始")
    expect(error).to_contain_text(
        f"申报时间为 {tomorrow:%Y-%m-%d} 09:00 至 {tomorrow + dt.timedelta(days=10):%Y-%m-%d} 17:00"
    )
    assert Application.objects.get(person__name="赵晨").status == ApplicationStatus.DRAFT

"""In Chromium, as the city bureau's HR officer: 1.18 证书报送人社部 — from the menu, 上报状态
未上报 查询；勾选一份证书；批量上报 (confirmed in the dialog): it leaves the 未上报 list and shows
待上报; 全部上报 sends the rest."""

import os
import re

import pytest
from playwright.sync_api import expect

from zhicheng.certificates.models import NationalReport
from zhicheng.certificates.tests.test_browser import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def _query(page, status: str) -> None:
    """查询 by 上报状态, waiting for the new page: the old one may show the same total."""
    page.select_option("#id_report_status", status)
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(rf"report_status={status}"))


def test_tick_and_report(page, live_server, hr_city, issued, settings):
    settings.ZHICHENG_NATIONAL_URL = ""  # nothing delivered: the rows stay 待上报
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.18"]')
    expect(page.locator("h4", has_text="证书报送人社部")).to_be_visible()
    _query(page, "none")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 2 条")
    number = issued[1].number.number
    page.locator("tr", has_text=number).locator("input[name=certificate]").check()
    page.click('[data-testid="report-selected"]')
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交上报 1 份证书")
    assert list(NationalReport.objects.values_list("certificate_id", flat=True)) == [issued[1].pk]
    _query(page, "none")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 1 条")
    _query(page, "pending")
    row = page.locator("tr", has_text=number)
    expect(row).to_contain_text("待上报")
    expect(row.locator("input[name=certificate]")).to_have_count(0)  # cannot be ticked again
    page.click('[data-testid="report-all"]')
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交上报 1 份证书")
    assert NationalReport.objects.count() == 2
    assert errors == []

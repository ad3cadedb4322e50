"""In Chromium: unit_a's officer declares the posts of his unit (a request beyond the vacant posts
refused on the form), then the city bureau's HR officer finds it in 职数申报查询, opens 详情 and
exports the query."""

import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.conftest import PASSWORD
from zhicheng.quotas.models import QuotaDeclaration

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def test_an_employer_declares_and_the_bureau_queries(page, live_server, unit_a_officer, hr_city):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, unit_a_officer.username)
    page.click('#sidebar a[data-menu-code="1.22"]')
    expect(page.locator('[data-testid="empty-state"]')).to_be_visible()
    page.click(".list-toolbar a:has-text('申报职数')")
    page.fill("#id_year", "2026")
    for name, value in (
        ("senior_approved", "10"),
        ("senior_filled", "7"),
        ("senior_requested", "4"),
        ("intermediate_approved", "20"),
        ("intermediate_filled", "18"),
        ("intermediate_requested", "2"),
    ):
        page.fill(f"#id_{name}", value)
    page.fill("#id_contact_name", "王敏")
    page.fill("#id_contact_phone", "025-52100000")
    page.click("button[type=submit]:has-text('提交申报')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text(
        "高级申报职数（4）超过空岗数（3 = 核定岗位数 10 − 已聘人数 7）"
    )
    assert not QuotaDeclaration.objects.exists()
    page.fill("#id_senior_requested", "3")
    page.click("button[type=submit]:has-text('提交申报')")
    expect(page.locator(".alert-success")).to_contain_text("2026年度职数申报")
    expect(page.locator("main")).to_contain_text("高级空岗数")

    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.22"]')
    expect(page.locator("h4", has_text="职数申报查询")).to_be_visible()
    page.fill("#id_name", "智能装备")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 1 条")
    expect(page.locator("table")).to_contain_text("10 / 7 / 3")
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    with open(download.value.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    assert [(r[0], r[2], r[5]) for r in rows[1:]] == [("南京江宁智能装备有限公司", 2026, 3)]
    page.click("table a:has-text('详情')")
    expect(page.locator("main")).to_contain_text("025-52100000")
    expect(page.locator("main a:has-text('修改')")).to_have_count(0)
    assert errors == []

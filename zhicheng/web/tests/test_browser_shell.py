"""In Chromium: log in as an HR officer, open every menu entry, create an organization choosing
its parent with the typeahead, then deregister it through the confirmation dialog."""

import os
import re

import pytest
from playwright.sync_api import expect

from zhicheng.accounts.roles import Role
from zhicheng.conftest import PASSWORD
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization, OrgStatus

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(orgs, make_user):
    return make_user(orgs["city_nj"], Role.HR_OFFICER, username="browser_hr")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h4", has_text="工作台")).to_be_visible()


def test_hr_officer_opens_every_menu_entry(page, live_server, officer):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, officer.username)
    links = page.locator("#sidebar a.nav-link")
    codes = links.evaluate_all("els => els.map(e => e.dataset.menuCode)")
    # The 24 guide functions in order, and 专家库 (no guide number) after 1.11.
    assert [c for c in codes if c.startswith("1.")] == [f"1.{n}" for n in range(1, 25)]
    assert codes[11] == "x.experts"
    assert "sys.orgs" in codes
    for code in codes:
        link = page.locator(f'#sidebar a[data-menu-code="{code}"]')
        with page.expect_navigation():
            link.click()
        assert page.locator("main").count() == 1
        assert "Server Error" not in page.content()
        expect(page.locator(f'#sidebar a[data-menu-code="{code}"]')).to_have_class(
            re.compile(r"\bactive\b")
        )
        expect(page.locator("#sidebar a.nav-link.active")).to_have_count(1)
    assert errors == []


def test_create_an_organization_with_the_parent_typeahead_then_deregister_it(
    page, live_server, officer, orgs
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/orgs/")
    page.click("text=新增")
    expect(page.locator("h4", has_text="新增机构")).to_be_visible()

    # 录入机构名称，回车查询: pinyin initials of 江宁区工业和信息化局 also work, use the name.
    search = page.locator("#id_parent_search")
    search.fill("江宁区工业")
    search.press("Enter")
    option = page.locator("[data-typeahead-item]", has_text="南京市江宁区工业和信息化局")
    expect(option).to_be_visible()
    option.click()
    expect(page.locator("#id_parent")).to_have_value(str(orgs["dept_jn_it"].pk))
    expect(page.locator("[data-typeahead-chosen]")).to_contain_text("南京市江宁区工业和信息化局")

    code = demo_uscc("91", "320115", "MA1BR0W51")
    page.fill("#id_name", "南京江宁浏览器测试有限公司")
    page.fill("#id_uscc", code)
    page.select_option("#id_org_type", "employer")
    page.fill("#id_region_code", "320115")
    page.click("button[type=submit]:has-text('保存')")

    expect(page.locator(".alert-success")).to_contain_text("已新增")
    expect(page.locator('[data-testid="ancestors"]')).to_contain_text("南京市江宁区工业和信息化局")
    org = Organization.objects.get(uscc=code)
    assert Organization.objects.get_parent(org).pk == orgs["dept_jn_it"].pk

    # 注销 asks first; 取消 changes nothing, 确定 deregisters.
    page.click(".detail-actions button:has-text('注销')")
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("确定注销机构“南京江宁浏览器测试有限公司”吗？")
    modal.locator("button:has-text('取消')").click()
    expect(modal).to_be_hidden()
    org.refresh_from_db()
    assert org.status == OrgStatus.ACTIVE
    page.click(".detail-actions button:has-text('注销')")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已注销")
    org.refresh_from_db()
    assert org.status == OrgStatus.DEREGISTERED
    assert errors == []


def test_list_query_refreshes_the_table_in_place(page, live_server, officer, orgs):
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/orgs/")
    page.fill("#id_name", "软件")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 1 条")
    expect(page).to_have_url(re.compile(r"name=%E8%BD%AF%E4%BB%B6"))
    page.fill("#id_name", "不存在")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="empty-state"]')).to_contain_text("暂无数据")

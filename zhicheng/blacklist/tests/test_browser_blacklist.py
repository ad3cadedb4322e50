"""In Chromium: 1.21 黑名单管理 end to end — an HR officer finds a person outside their
subtree by the full 身份证号, lists them, sees the entry in force, lifts it with a reason in the
confirmation dialog; and an applicant registers and lands on 我的申报."""

import os
import re

import pytest
from playwright.sync_api import expect

from zhicheng.accounts.roles import Role
from zhicheng.blacklist.models import BlacklistEntry, BlacklistStatus
from zhicheng.conftest import PASSWORD
from zhicheng.persons.models import Person
from zhicheng.persons.tests.factories import id_number, make_person

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def patient_expect():
    # The machine runs several suites at once: give assertions time under load.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def officer(orgs, make_user):
    return make_user(orgs["city_nj"], Role.HR_OFFICER, username="browser_bl_hr")


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_list_an_out_of_scope_person_by_full_number_then_lift(page, live_server, officer, orgs):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    suzhou = make_person("刘洋", organization=orgs["unit_f"], number=id_number(seq="055"))
    make_person("王强", organization=orgs["unit_d"], number=id_number(seq="013"))
    log_in(page, live_server, officer.username)

    page.click('#sidebar a[data-menu-code="1.21"]')
    expect(page.locator("h4", has_text="黑名单管理")).to_be_visible()
    page.click("#list-results a:has-text('新增')")
    expect(page.locator("h4", has_text="新增黑名单")).to_be_visible()
    # The picker binds its Enter key once the page's scripts ran; before that Enter posts the form.
    page.wait_for_load_state("load")

    search = page.locator("[data-person-search]")
    # By name only within the subtree: the Suzhou person is not found …
    search.fill("刘洋")
    search.press("Enter")
    expect(page.locator("[data-person-results]")).to_contain_text("未找到匹配的人员")
    # … but by the full 身份证号 (the documented exception).
    search.fill(suzhou.id_number)
    search.press("Enter")
    result = page.locator("[data-person-results] button", has_text="刘洋")
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("#id_id_number")).to_have_value(suzhou.id_number)
    expect(page.locator("#id_name")).to_have_value("刘洋")

    page.select_option("#id_reason", "false_materials")
    page.fill("#id_document_number", "宁人社职〔2026〕12号")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已将“刘洋”列入黑名单")
    expect(page.locator("main")).to_contain_text("生效中")

    page.click("a:has-text('返回列表')")
    row = page.locator("#list-results tbody tr", has_text="刘洋")
    expect(row).to_contain_text("生效中")
    row.locator("button:has-text('解除')").click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    modal.locator("[data-confirm-ok]").click()  # no reason yet: refused in the dialog
    expect(page.locator("#confirm-reason")).to_have_class(re.compile("is-invalid"))
    page.fill("#confirm-reason", "经复核撤销处理决定")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已解除“刘洋”的黑名单")
    expect(page.locator("#list-results tbody tr", has_text="刘洋")).to_contain_text("已解除")

    entry = BlacklistEntry.objects.get(person=suzhou)
    assert entry.status == BlacklistStatus.LIFTED
    assert entry.lift_reason == "经复核撤销处理决定"
    assert errors == []


def test_applicant_registers_and_lands_on_the_workspace(page, live_server, orgs):
    number = id_number(seq="031")
    page.goto(f"{live_server.url}/register/")
    page.fill("#id_name", "张伟")
    page.fill("#id_id_number", number)
    page.fill("#id_mobile", "13851000001")
    page.fill("#id_password1", "Shenbao@2026")
    page.fill("#id_password2", "Shenbao@2026")
    page.click("button[type=submit]")
    expect(page.locator("h4", has_text="我的申报")).to_be_visible()
    expect(page.locator("main")).to_contain_text(number)
    assert Person.objects.get(id_number=number).user.username == number

    # Log out and back in with the 身份证号: the home page routes the applicant to 我的申报.
    page.click("button:has-text('退出')")
    log_in(page, live_server, number, "Shenbao@2026")
    expect(page.locator("h4", has_text="我的申报")).to_be_visible()


def test_a_person_found_by_name_is_listed_masked_and_filled_whole(page, live_server, officer, orgs):
    """The search results are a list (masked); choosing one reads the person's record, whose
    whole number fills the form and is logged as 查看身份证号."""
    from auditlog.models import LogEntry

    wang = make_person("王强", organization=orgs["unit_d"], number=id_number(seq="013"))
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/blacklist/new/")
    search = page.locator("[data-person-search]")
    search.fill("王强")
    search.press("Enter")
    result = page.locator("[data-person-results] button", has_text="王强")
    expect(result).to_contain_text(wang.masked_id_number)
    result.click()
    expect(page.locator("#id_id_number")).to_have_value(wang.id_number)
    assert LogEntry.objects.filter(additional_data__summary="查看身份证号：王强").count() == 1

"""In Chromium: on 机构管理, 导入 a file with good and bad rows through the dialog (preview
counts and reasons, 提交, the list refreshed), then 导出 the filtered list."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhicheng.accounts.roles import Role
from zhicheng.conftest import PASSWORD
from zhicheng.orgs.models import Organization
from zhicheng.tabular.tests.conftest import build_xlsx, make_uscc, read_xlsx

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(orgs, make_user):
    return make_user(orgs["city_nj"], Role.HR_OFFICER, username="browser_tabular")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_import_good_and_bad_rows_through_the_dialog_then_export(
    page, live_server, officer, orgs, tmp_path
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    county = orgs["county_jn"].uscc
    good = ["南京江宁浏览器导入有限公司", make_uscc(4242), "用人单位", "320115", county]
    bad = ["校验位错误的单位", "91320115MA0000000X", "用人单位", "320115", county]
    upload = tmp_path / "机构导入.xlsx"
    upload.write_bytes(build_xlsx([good, bad]))

    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/orgs/")
    page.click("button:has-text('导入')")
    dialog = page.locator("#import-dialog-organizations")
    expect(dialog).to_be_visible()
    with page.expect_download() as template:
        dialog.locator("[data-testid=import-template]").click()
    assert template.value.suggested_filename == "机构导入模板.xlsx"

    dialog.locator("input[type=file]").set_input_files(str(upload))
    dialog.locator("[data-testid=import-submit]").click()
    expect(dialog.locator("[data-testid=import-summary]")).to_have_text(
        "共 2 条：成功 1 条，失败 1 条"
    )
    failed = dialog.locator("[data-testid=import-failed-rows] tbody tr")
    expect(failed).to_have_count(1)
    expect(failed.locator("td").nth(0)).to_have_text("第 3 行")
    expect(failed.locator("td").nth(1)).to_have_text("统一社会信用代码校验位错误")
    with page.expect_download() as error_file:
        dialog.locator("[data-testid=import-error-file]").click()
    assert read_xlsx(Path(error_file.value.path()).read_bytes())[1][-1].startswith("第3行")

    dialog.locator("[data-testid=import-commit]").click()
    expect(dialog.locator("[data-testid=import-result]")).to_contain_text("成功导入 1 条机构")
    assert Organization.objects.filter(uscc=good[1]).exists()
    with page.expect_navigation():  # closing the dialog refreshes the list
        dialog.locator(".modal-footer button:has-text('关闭')").click()

    page.fill("#id_name", "浏览器导入")
    page.keyboard.press("Enter")
    expect(page.locator("#list-results table tbody tr")).to_have_count(1)  # the query applied
    expect(page.locator("#list-results table tbody")).to_contain_text(good[0])
    expect(page.locator("[data-testid=export-form]")).to_have_attribute(
        "action", re.compile("name=")
    )
    with page.expect_download() as exported:
        page.click("[data-testid=export]")
    rows = read_xlsx(Path(exported.value.path()).read_bytes())
    assert [r[0] for r in rows[1:]] == [good[0]]
    assert errors == []

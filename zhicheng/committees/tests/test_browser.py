"""In Chromium, as an HR officer would: 1.10 评委会管理 — 新增 (password shown once), 编辑, 其他信息
(评审专业 via the specialty search, 组建单位 via the org typeahead, 缴费标准 with a refused and a
good amount, 删除 through the confirmation dialog), 批量导入 with good and bad rows and the
one-time password file, 导出, 注销 with a reason; 1.11 评委会查询 read-only with 导出; and the
committee account's first login (forced password change → its workspace)."""

import datetime as dt
import io
import os
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from zhicheng.accounts.roles import Role
from zhicheng.committees import services
from zhicheng.committees.models import Committee, CommitteeLevel, CommitteeStatus
from zhicheng.committees.tabular import IMPORT_COLUMNS
from zhicheng.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(orgs, make_user):
    return make_user(orgs["province"], Role.HR_OFFICER, username="browser_hr_prov")


@pytest.fixture
def watch_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield errors
    assert errors == []


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_download(download) -> str:
    with open(download.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return str([list(r) for r in book.worksheets[0].iter_rows(values_only=True)])


def test_hr_officer_manages_a_committee_end_to_end(
    page, live_server, officer, orgs, series_eng, specialties, watch_errors, tmp_path
):
    today = dt.date.today()
    log_in(page, live_server, officer.username)
    page.click('#sidebar a[data-menu-code="1.10"]')
    expect(page.locator("h4", has_text="评委会管理")).to_be_visible()

    # --- 新增: the initial password is shown once ---------------------------------------
    page.click("a:has-text('新增')")
    expect(page.locator("h4", has_text="新增评委会")).to_be_visible()
    page.fill("#id_name", "江苏省机械工程高级职称评审委员会")
    page.select_option("#id_level", "senior")
    page.select_option("#id_series", label="工程")
    page.fill("#id_account", "jx_pwh")
    page.fill("#id_approval_number", "苏人社职〔2026〕30号")
    page.fill("#id_valid_from", today.isoformat())
    page.fill("#id_valid_until", (today + dt.timedelta(days=1000)).isoformat())
    page.click("button[type=submit]:has-text('保存')")
    password = page.locator("[data-testid=one-time-password]").inner_text().strip()
    assert len(password) >= 12
    committee = Committee.objects.get(account__username="jx_pwh")
    assert committee.account.check_password(password)

    # --- 编辑 ------------------------------------------------------------------------------
    page.goto(f"{live_server.url}/committees/")
    row = page.locator("tr", has_text="江苏省机械工程高级职称评审委员会")
    row.get_by_role("link", name="编辑").click()
    page.fill("#id_approval_number", "苏人社职〔2026〕31号")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".detail-fields")).to_contain_text("苏人社职〔2026〕31号")

    # --- 其他信息 ----------------------------------------------------------------------------
    page.goto(f"{live_server.url}/committees/")
    page.locator("tr", has_text="江苏省机械工程").get_by_role("link", name="其他信息").click()
    section = page.locator("#section-specialties")
    page.fill("#specialty-search", "机械工程（测试）")
    page.press("#specialty-search", "Enter")
    section.locator("label", has_text="机械工程（测试）").click()
    section.locator("button:has-text('保存')").click()
    expect(page.locator("#section-specialties table")).to_contain_text("T0802")

    search = page.locator("#organizer-organization_search")
    search.fill("江苏省工程技术")
    search.press("Enter")
    page.locator("[data-typeahead-item]", has_text="江苏省工程技术研究会").click()
    page.locator("#section-organizers button:has-text('保存')").click()
    expect(page.locator("#section-organizers table")).to_contain_text("江苏省工程技术研究会")

    fees = page.locator("#section-fees")
    page.select_option("#id_new-item", "review")
    page.fill("#id_new-amount", "-10")
    fees.locator("[data-testid=fee-add-form] button:has-text('保存')").click()
    expect(page.locator("#section-fees [data-testid=section-error]")).to_contain_text(
        "缴费金额必须大于0"
    )
    page.fill("#id_new-amount", "300")
    page.locator("#section-fees [data-testid=fee-add-form] button:has-text('保存')").click()
    expect(page.locator("#section-fees [data-testid=fee-row]")).to_have_count(1)
    page.select_option("#id_new-item", "material")
    page.fill("#id_new-amount", "50.5")
    page.locator("#section-fees [data-testid=fee-add-form] button:has-text('保存')").click()
    expect(page.locator("#section-fees [data-testid=fee-row]")).to_have_count(2)
    first = page.locator("#section-fees [data-testid=fee-row]").first
    first.locator("input[name$='-amount']").fill("350")
    first.locator("button:has-text('保存')").click()
    expect(page.locator("#section-fees [data-testid=section-message]")).to_contain_text("已保存")
    assert committee.fees.get(item="review").amount == 350
    page.locator("#section-fees [data-testid=fee-row]").nth(1).locator(
        "button:has-text('删除')"
    ).click()
    expect(page.locator("#confirm-modal")).to_be_visible()
    page.click("#confirm-modal [data-confirm-ok]")
    expect(page.locator("#section-fees [data-testid=fee-row]")).to_have_count(1)

    # --- 批量导入: one good row, one bad row; then the one-time password file -------------------
    page.goto(f"{live_server.url}/committees/")
    upload = tmp_path / "评委会.xlsx"
    upload.write_bytes(
        xlsx(
            [
                [
                    "江苏省电气工程高级职称评审委员会",
                    "高级",
                    "工程",
                    "dq_pwh",
                    "苏人社职〔2026〕40号",
                    today.isoformat(),
                    (today + dt.timedelta(days=700)).isoformat(),
                ],
                [
                    "重复账号评委会",
                    "中级",
                    "工程",
                    "jx_pwh",
                    "x",
                    today.isoformat(),
                    today.isoformat(),
                ],
            ]
        )  # fmt: skip
    )
    page.click("button:has-text('导入')")
    dialog = page.locator("#import-dialog-committees")
    expect(dialog).to_be_visible()
    dialog.locator("input[type=file]").set_input_files(str(upload))
    dialog.locator("[data-testid=import-submit]").click()
    expect(dialog.locator("[data-testid=import-summary]")).to_contain_text("成功 1 条，失败 1 条")
    expect(dialog.locator("[data-testid=import-failed-rows]")).to_contain_text("已被使用")
    dialog.locator("[data-testid=import-commit]").click()
    expect(dialog.locator("[data-testid=import-result]")).to_contain_text("成功导入 1 条")
    with page.expect_navigation():
        dialog.locator(".modal-footer button:has-text('关闭')").click()
    expect(page.locator("tr", has_text="江苏省电气工程高级职称评审委员会")).to_be_visible()
    with page.expect_download() as download_info:
        page.click("[data-testid=handout] button:has-text('下载初始密码文件')")
    content = read_download(download_info.value)
    assert "dq_pwh" in content
    imported = Committee.objects.get(account__username="dq_pwh")
    imported_password = re.search(r"'dq_pwh', '([^']+)'", content).group(1)
    assert imported.account.check_password(imported_password)
    page.goto(f"{live_server.url}/committees/")
    expect(page.locator("[data-testid=handout]")).to_have_count(0)

    # --- 导出查询结果 ------------------------------------------------------------------------
    page.fill("input[name=name]", "机械")
    page.click("form.query-form button:has-text('查询')")
    expect(page.locator("[data-testid=total]")).to_contain_text("共 1 条")
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    exported = read_download(download_info.value)
    assert "江苏省机械工程高级职称评审委员会" in exported
    assert "江苏省电气工程高级职称评审委员会" not in exported

    # --- 注销 with a reason, through the confirmation dialog -----------------------------------
    page.goto(f"{live_server.url}/committees/")
    page.locator("tr", has_text="江苏省机械工程").locator("button:has-text('注销')").click()
    expect(page.locator("#confirm-modal")).to_be_visible()
    page.click("#confirm-modal [data-confirm-ok]")  # without a reason: refused in the dialog
    expect(page.locator("#confirm-reason")).to_have_class(re.compile(r"is-invalid"))
    page.fill("#confirm-reason", "任期届满未重新核准")
    page.click("#confirm-modal [data-confirm-ok]")
    expect(page.locator(".alert-success")).to_contain_text("已注销")
    expect(page.locator("tr", has_text="江苏省机械工程")).to_contain_text("已注销")
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.DEREGISTERED
    assert committee.deregister_reason == "任期届满未重新核准"
    assert not committee.account.is_active


def test_plan_reviewer_queries_committees_read_only_and_exports(
    page, live_server, orgs, make_user, hr_province, make_committee, watch_errors
):
    committee = make_committee(hr_province, name="省工程技术高评会（查询）")
    reviewer = make_user(orgs["province"], Role.PLAN_REVIEWER, username="browser_reviewer")
    log_in(page, live_server, reviewer.username)
    expect(page.locator('#sidebar a[data-menu-code="1.10"]')).to_have_count(0)
    page.click('#sidebar a[data-menu-code="1.11"]')
    row = page.locator("tr", has_text=committee.name)
    expect(row).to_be_visible()
    expect(row.locator("button:has-text('注销')")).to_have_count(0)
    row.get_by_role("link", name="其他信息").click()
    expect(page.locator("[data-testid=read-only]")).to_be_visible()
    expect(page.locator("[data-testid=fee-add-form]")).to_have_count(0)
    page.goto(f"{live_server.url}/committees/query/")
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    assert committee.name in read_download(download_info.value)


def test_a_new_committee_account_changes_its_password_then_sees_its_workspace(
    page, live_server, hr_province, series_eng, watch_errors
):
    today = dt.date.today()
    committee, password = services.committee_create(
        actor=hr_province,
        name="江苏省建筑工程高级职称评审委员会",
        level=CommitteeLevel.SENIOR,
        series=series_eng,
        account_username="jz_pwh",
        approval_number="苏人社职〔2026〕50号",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
    )
    log_in(page, live_server, "jz_pwh", password)
    expect(page).to_have_url(re.compile(r"/password/change/"))
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Pwh@2026new")
    page.fill("#id_new_password2", "Pwh@2026new")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/committees/workspace/"))
    expect(page.locator("h4")).to_contain_text(committee.name)
    expect(page.locator("[data-testid=workspace-committee]")).to_contain_text(
        "苏人社职〔2026〕50号"
    )

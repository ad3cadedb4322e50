"""Issue 2, end to end in Chromium on the demo data: the demo account hr_city logs in, opens
every menu entry, imports an organizations file with good and bad rows through the 机构管理
page (template → upload → preview counts → error file → 提交 → the new rows in the list), and
exports the filtered list (the file holds exactly the rows on the screen)."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.common.validators import USCC_ALPHABET
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)

# A page title of its own, then the system's name.
TITLE = re.compile(r"^\S.*\S\s*(- )?职称申报评审管理系统$")
ERROR_TITLES = ("页面不存在", "无权访问", "服务器错误", "Server Error")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def log_in_as_hr_city(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "hr_city")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def saved(download, folder: Path) -> Path:
    """Playwright keeps a download under a random name; keep it under its own name."""
    path = folder / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".xlsx", path
    return path


def read_xlsx(path: Path) -> list[list]:
    workbook = load_workbook(path, read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def screen_rows(page) -> list[tuple[str, str]]:
    """(机构名称, 统一社会信用代码) of each row of the list on the screen."""
    headers = page.locator("#list-results table thead th").all_inner_texts()
    name_col, uscc_col = headers.index("机构名称"), headers.index("统一社会信用代码")
    rows = []
    for row in page.locator("#list-results table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append((cells[name_col].strip(), cells[uscc_col].strip()))
    return rows


def test_hr_city_opens_every_menu_entry_without_an_error(page, live_server, demo, browser_errors):
    log_in_as_hr_city(page, live_server)
    links = page.locator("#sidebar a.nav-link")
    entries = links.evaluate_all(
        "els => els.map(e => [e.dataset.menuCode, e.getAttribute('href'), e.innerText.trim()])"
    )
    codes = [code for code, _href, _name in entries]
    # The 24 guide functions in order; 专家库 (x.experts, no guide number) stands after 1.11.
    assert [c for c in codes if c.startswith("1.")] == [f"1.{n}" for n in range(1, 25)]
    assert codes[11] == "x.experts"
    for code, href, _name in entries:
        response = page.goto(live_server.url + href)
        assert response is not None and response.status == 200, (code, href, response.status)
        title = page.title()
        assert TITLE.match(title), (code, title)
        assert not any(bad in title for bad in ERROR_TITLES), (code, title)
        assert page.locator("main").count() == 1, code
        expect(page.locator(f'#sidebar a[data-menu-code="{code}"]')).to_have_class(
            re.compile(r"\bactive\b")
        )
    assert browser_errors == []


def test_hr_city_imports_good_and_bad_rows_then_exports_what_the_list_shows(
    page, live_server, demo, browser_errors, tmp_path
):
    in_scope = Organization.objects.get(name="南京市江宁区工业和信息化局").uscc
    out_of_scope = Organization.objects.get(name="苏州市吴中区工业和信息化局").uscc
    good = [
        [f"南京江宁集成测试{n}号有限公司", demo_uscc("91", "320115", f"MA1JC{n:04d}"), "用人单位"]
        for n in range(1, 6)
    ]
    good = [[name, code, kind, "320115", in_scope] for name, code, kind in good]
    valid_code = demo_uscc("91", "320115", "MA1JC9999")
    wrong_check = valid_code[:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(valid_code[-1]) + 1) % 31]
    bad = [
        # row 7: check character wrong
        ["集成测试校验位错误有限公司", wrong_check, "用人单位", "320115", in_scope],
        # row 8: parent outside 南京 (hr_city's scope)
        [
            "集成测试越权上级有限公司",
            demo_uscc("91", "320506", "MA1JC8888"),
            "用人单位",
            "320506",
            out_of_scope,
        ],  # fmt: skip
        # row 9: the same code as row 2
        ["集成测试重复代码有限公司", good[0][1], "用人单位", "320115", in_scope],
        # row 10: an organization type that is not offered
        [
            "集成测试类型错误有限公司",
            demo_uscc("91", "320115", "MA1JC7777"),
            "外星机构",
            "320115",
            in_scope,
        ],  # fmt: skip
    ]

    log_in_as_hr_city(page, live_server)
    page.goto(f"{live_server.url}/orgs/")
    page.click("button:has-text('导入')")
    dialog = page.locator("#import-dialog-organizations")
    expect(dialog).to_be_visible()

    # 下载模板, fill it in as a user would, upload it.
    with page.expect_download() as template:
        dialog.locator("[data-testid=import-template]").click()
    workbook = load_workbook(saved(template.value, tmp_path))
    sheet = workbook.worksheets[0]
    headers = [str(c.value).rstrip("*") for c in sheet[1] if c.value]
    assert headers == ["机构名称", "统一社会信用代码", "机构类型", "行政区划代码", "上级机构统一社会信用代码"]  # fmt: skip
    for row in good + bad:
        sheet.append(row)
    upload = tmp_path / "upload" / "机构导入.xlsx"
    upload.parent.mkdir()
    workbook.save(upload)

    dialog.locator("input[type=file]").set_input_files(str(upload))
    dialog.locator("[data-testid=import-submit]").click()
    expect(dialog.locator("[data-testid=import-summary]")).to_have_text(
        "共 9 条：成功 5 条，失败 4 条"
    )
    failed = dialog.locator("[data-testid=import-failed-rows] tbody tr")
    expect(failed).to_have_count(4)
    expect(failed.nth(0)).to_contain_text("校验位错误")
    expect(failed.nth(1)).to_contain_text("不在您的管辖范围内")
    expect(failed.nth(2)).to_contain_text("重复")
    expect(failed.nth(3)).to_contain_text("机构类型")
    assert not Organization.objects.filter(name__startswith="南京江宁集成测试").exists()

    with page.expect_download() as error_file:
        dialog.locator("[data-testid=import-error-file]").first.click()
    errors = read_xlsx(saved(error_file.value, tmp_path))
    assert errors[0][-1] == "错误原因"
    assert [row[0] for row in errors[1:]] == [row[0] for row in bad]
    for number, row in zip(range(7, 11), errors[1:], strict=True):
        assert str(row[-1]).startswith(f"第{number}行"), row

    dialog.locator("[data-testid=import-commit]").click()
    expect(dialog.locator("[data-testid=import-result]")).to_contain_text("成功导入 5 条")
    with page.expect_navigation():  # closing the dialog refreshes the list
        dialog.locator(".modal-footer button:has-text('关闭')").click()

    # The new rows are in the list; the export of the filtered list holds exactly them.
    page.fill("#id_name", "集成测试")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=total]")).to_have_text("共 5 条")
    on_screen = screen_rows(page)
    assert sorted(on_screen) == sorted((row[0], row[1]) for row in good)
    with page.expect_download() as exported:
        page.click("[data-testid=export]")
    rows = read_xlsx(saved(exported.value, tmp_path))
    name_col, uscc_col = rows[0].index("机构名称"), rows[0].index("统一社会信用代码")
    assert sorted((r[name_col], r[uscc_col]) for r in rows[1:]) == sorted(on_screen)
    assert browser_errors == []

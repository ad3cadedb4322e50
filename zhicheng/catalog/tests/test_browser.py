"""In Chromium, as an HR officer of a city bureau: 1.1 职称专业管理 and 1.2 职称树管理 through their
pages — expand the tree lazily, add, edit, refuse a duplicate, search, import a file with good and
bad rows, export, delete after confirmation (refused with the reason while children exist)."""

import io
import os

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from zhicheng.catalog.models import Specialty, Title
from zhicheng.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def standard_catalog(transactional_db):
    """A transactional test's flush also empties the data migration's rows: put them back."""
    from django.apps import apps

    from zhicheng.catalog.standard import seed

    seed(apps)


@pytest.fixture
def browser_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def confirm(page, reason: str | None = None):
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    if reason is not None:
        modal.locator("#confirm-reason").fill(reason)
    modal.locator("[data-confirm-ok]").click()


def read_xlsx(download) -> list[tuple]:
    with open(download.path(), "rb") as handle:
        return list(load_workbook(io.BytesIO(handle.read())).active.values)


def xlsx_file(tmp_path, rows) -> str:
    book = Workbook()
    book.active.append(["专业代码", "专业学科名称", "上级专业代码"])
    for row in rows:
        book.active.append(row)
    path = tmp_path / "专业导入.xlsx"
    book.save(path)
    return str(path)


def test_specialty_tree_as_an_hr_officer(page, live_server, hr_city, tmp_path, browser_errors):
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.1"]')
    expect(page.locator("h4", has_text="职称专业管理")).to_be_visible()
    # The page came in by an HTMX navigation: its hx- attributes are bound when it settles.
    # A toggle before that is not heard (CI, under load, clicked in between).
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)
    tree = page.locator('[data-testid="specialty-tree"]')

    # Lazy expand: opening 工学 loads its children through HTMX.
    expect(tree.locator('[data-testid="node-0802"]')).to_have_count(0)
    tree.locator('li[data-code="08"] > details > summary').click()
    expect(tree.locator('[data-testid="node-0802"]')).to_be_visible()
    tree.locator('[data-testid="node-0802"]').click()
    expect(page.locator('[data-testid="ancestors"]')).to_contain_text("工学")

    # 新增 under the selected node; then a duplicate code is refused with the reason.
    form = page.locator('[data-testid="specialty-create-form"]')
    form.locator("#id_code").fill("080299")
    form.locator("#id_name").fill("智能制造")
    form.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("专业“080299 智能制造”已新增")
    node = Specialty.objects.get(code="080299")
    assert node.owner_organization == hr_city.organization

    form = page.locator('[data-testid="specialty-create-form"]')
    form.locator("#id_code").fill("0812")
    form.locator("#id_name").fill("重复")
    form.locator("button:has-text('保存')").click()
    expect(page.locator('[data-testid="form-error"]')).to_contain_text(
        "专业代码“0812”已被“计算机科学与技术”使用"
    )
    form = page.locator('[data-testid="specialty-create-form"]')
    form.locator("#id_code").fill("08029901")
    form.locator("#id_name").fill("智能产线")
    form.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("已新增")

    # Edit the own node (selected through the search, which shows the path).
    page.fill('[data-testid="specialty-search"] input[name=q]', "智能制造")
    page.click('[data-testid="specialty-search"] button:has-text("查询")')
    results = page.locator('[data-testid="search-results"]')
    expect(results).to_contain_text("工学 / 机械工程")
    results.locator("a", has_text="080299").click()
    edit = page.locator('[data-testid="specialty-edit-form"]')
    edit.locator("#id_name").fill("智能制造装备")
    edit.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert Specialty.objects.get(code="080299").name == "智能制造装备"

    # 删除栏目 asks first, and is refused while the node has children.
    page.click('[data-testid="specialty-delete-form"] button')
    confirm(page)
    expect(page.locator(".alert-danger")).to_contain_text("该专业下还有 1 个下级专业")
    assert Specialty.objects.filter(code="080299").exists()

    # Import: good rows under existing and earlier rows, one bad row; preview, then 提交.
    page.click('[data-testid="import"]')
    dialog = page.locator('[data-testid="import-dialog"]')
    expect(dialog).to_be_visible()
    with page.expect_download() as template:
        dialog.locator('[data-testid="import-template"]').click()
    assert template.value.suggested_filename.endswith(".xlsx")
    upload = xlsx_file(
        tmp_path,
        [
            ["080298", "工业机器人", "0802"],
            ["08029801", "协作机器人", "080298"],
            ["X1", "坏行", "NOPE"],
        ],
    )
    dialog.locator("input[type=file]").set_input_files(upload)
    dialog.locator('[data-testid="import-submit"]').click()
    expect(dialog.locator('[data-testid="import-summary"]')).to_contain_text(
        "共 3 条：成功 2 条，失败 1 条"
    )
    expect(dialog.locator('[data-testid="import-failed-rows"]')).to_contain_text("NOPE")
    dialog.locator('[data-testid="import-commit"]').click()
    expect(dialog.locator('[data-testid="import-result"]')).to_contain_text("成功导入 2 条")
    assert Specialty.objects.filter(code__in=["080298", "08029801"]).count() == 2
    with page.expect_navigation():  # closing the dialog after 提交 reloads the page
        dialog.locator("button:has-text('关闭')").last.click()

    # Export the query result.
    page.goto(f"{live_server.url}/catalog/specialties/?q=0802")
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    rows = read_xlsx(download.value)
    assert ("080299", "智能制造装备", "0802") in [r[:3] for r in rows]

    # Delete a leaf after confirmation.
    page.goto(
        f"{live_server.url}/catalog/specialties/?node={Specialty.objects.get(code='08029901').pk}"
    )
    page.click('[data-testid="specialty-delete-form"] button')
    confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已删除")
    assert not Specialty.objects.filter(code="08029901").exists()
    assert browser_errors == []


def test_title_tree_as_an_hr_officer(page, live_server, hr_city, browser_errors):
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.2"]')
    expect(page.locator("h4", has_text="职称树管理")).to_be_visible()
    tree = page.locator('[data-testid="title-tree"]')
    tree.locator('[data-testid="series-engineering"]').click()
    expect(page.locator('[data-testid="series-panel"]')).to_contain_text("正高级工程师")

    form = page.locator('[data-testid="title-create-form"]')
    form.locator("#id_level").select_option("intermediate")
    form.locator("#id_name").fill("工程师（智能制造）")
    form.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("职称“工程师（智能制造）”已新增")

    edit = page.locator('[data-testid="title-edit-form"]')
    edit.locator("#id_level").select_option("assistant")
    edit.locator("#id_name").fill("助理工程师（智能制造）")
    edit.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    title = Title.objects.get(name="助理工程师（智能制造）")
    assert title.level == "assistant"

    form = page.locator('[data-testid="title-create-form"]')
    form.locator("#id_level").select_option("intermediate")
    form.locator("#id_name").fill("工程师")
    form.locator("button:has-text('保存')").click()
    expect(page.locator('[data-testid="form-error"]')).to_contain_text("下已有职称“工程师”")

    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    rows = read_xlsx(download.value)
    assert ("工程", "助理级", "助理工程师（智能制造）") in [r[:3] for r in rows]

    page.goto(f"{live_server.url}/catalog/titles/?title={title.pk}")
    page.click('[data-testid="title-delete-form"] button')
    confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已删除")
    assert not Title.objects.filter(pk=title.pk).exists()
    assert browser_errors == []

"""In Chromium: a unit registers (a wrong check character refused first), its login says it
waits; the 主管单位's officer approves it and it logs in. Then unit_a holds a 单位内部公示 of
the application waiting there — exports the 公示表 (xlsx, PDF), records the dates, uploads the
sealed result with the standard 推荐意见 once the period is over — and recommends (approves)
the application, which was refused before."""

import datetime as dt
import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.applications import services as application_services
from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes
from zhicheng.conftest import PASSWORD
from zhicheng.units.models import RegistrationStatus, UnitRegistration

from .conftest import UNIT_PASSWORD, new_uscc

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.unit_publicity]
MONDAY = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def log_in(page, live_server, username, password=PASSWORD, *, ok=True):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    if ok:
        expect(page.locator("#sidebar")).to_be_visible()


def test_unit_registration_approval_publicity_and_recommendation(
    page, live_server, reseeded, world, submitted, monkeypatch, tmp_path
):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    monkeypatch.setattr(workdays, "today", lambda: MONDAY)
    uscc = new_uscc(prefix="N1", body="MA1BR0W5E")

    # 单位注册: a wrong check character, then the right one.
    page.goto(f"{live_server.url}/login/")
    page.click("[data-testid=unit-register]")
    page.fill("#id_uscc", uscc[:-1] + ("0" if uscc[-1] != "0" else "1"))
    page.fill("#id_name", "南京江宁浏览器测试合作社")
    page.fill("#id_contact_name", "刘洋")
    page.fill("#id_contact_phone", "025-52101234")
    page.fill("#id_competent_search", "江宁区工业")
    page.keyboard.press("Enter")
    page.locator("[data-typeahead-item]", has_text="南京市江宁区工业和信息化局").first.click()
    page.fill("#id_password1", UNIT_PASSWORD)
    page.fill("#id_password2", UNIT_PASSWORD)
    page.click("button[type=submit]:has-text('提交注册')")
    expect(page.locator("main, body")).to_contain_text("校验位错误")
    assert not UnitRegistration.objects.exists()
    page.fill("#id_uscc", uscc)
    page.fill("#id_password1", UNIT_PASSWORD)
    page.fill("#id_password2", UNIT_PASSWORD)
    page.click("button[type=submit]:has-text('提交注册')")
    expect(page.locator(".alert-success")).to_contain_text("等待主管单位")
    log_in(page, live_server, uscc, UNIT_PASSWORD, ok=False)
    expect(page.locator("[data-testid=unit-state]")).to_contain_text("等待主管单位")

    # The 主管单位's officer approves.
    log_in(page, live_server, world.officers["dept_jn_it"].username)
    page.click('#sidebar a[data-menu-code="units.registrations"]')
    page.click("table a:has-text('详情')")
    page.click("button:has-text('审核通过')")
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("单位账号已启用")
    assert UnitRegistration.objects.get().status == RegistrationStatus.APPROVED
    log_in(page, live_server, uscc, UNIT_PASSWORD)

    # unit_a: 内部公示 of the waiting application, then the recommendation.
    app = submitted("initial")
    officer = world.officers["unit_a"]
    log_in(page, live_server, officer.username)
    page.click('#sidebar a[data-menu-code="units.publicity"]')
    expect(page.locator("main")).to_contain_text("推荐前须进行单位内部公示")
    with page.expect_download() as download:
        page.click("[data-testid=sheet-xlsx]")
    with open(download.value.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    assert rows[1][1] == "张伟"
    with page.expect_download() as download:
        page.click("[data-testid=sheet-pdf]")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.fill("#id_starts_on", "2025-03-03")
    page.fill("#id_ends_on", "2025-03-05")
    page.click("[data-testid=publicity-create]")
    expect(page.locator("[data-testid=publicity-error]")).to_contain_text("不少于5个工作日")
    page.fill("#id_starts_on", "2025-03-03")
    page.fill("#id_ends_on", "2025-03-07")
    page.click("[data-testid=publicity-create]")
    expect(page.locator(".alert-success")).to_contain_text("单位内部公示已登记")
    with pytest.raises(ApplicationError, match="公示期至2025-03-07"):
        application_services.application_approve(actor=officer, application=app)

    monkeypatch.setattr(workdays, "today", lambda: MONDAY + dt.timedelta(days=7))
    page.reload()
    scan = tmp_path / "公示结果.pdf"
    scan.write_bytes(pdf_bytes())
    card = page.locator("[data-testid^=publicity-]").filter(has_text="期满").first
    expect(card.locator("[data-testid=publicity-state]")).to_have_text("期满待上传结果")
    card.locator("input[type=file]").set_input_files(str(scan))
    card.locator("input[list=standard-recommendations]").fill("经单位内部公示，无异议，同意推荐。")
    card.locator("[data-testid=result-upload]").click()
    expect(page.locator(".alert-success")).to_contain_text("公示结果已上传")
    expect(page.locator("main")).to_contain_text("已完成内部公示，可推荐")

    page.click('#sidebar a[data-menu-code="1.12"]')
    row = page.locator(f"#list-results tbody tr[data-application='{app.pk}']")
    row.get_by_role("link", name="审核", exact=True).click()
    form = page.locator("[data-testid=review-form]")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("[data-testid=review-submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("审核通过")
    app.refresh_from_db()
    assert app.route_position == 1
    assert errors == []

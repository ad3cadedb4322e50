"""In Chromium, as a city bureau's HR officer: 1.9 发证单位编码配置 through its pages — add with the
organization typeahead (a bad code refused in the form), edit, query, 导出查询结果, and 注销 with
the required reason in the confirmation dialog."""

import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.certificates.models import IssuingUnit
from zhicheng.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def test_issuing_units_as_an_hr_officer(page, live_server, hr_city, orgs):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.9"]')
    expect(page.locator("h4", has_text="发证单位编码配置")).to_be_visible()
    expect(page.locator('[data-testid="empty-state"]')).to_be_visible()

    # 新增: 录入单位名称，回车查询，选择单位; a code that breaks the rule is refused in the form.
    page.click(".list-toolbar a:has-text('新增')")
    search = page.locator("#id_organization_search")
    search.fill("江宁区人力")
    search.press("Enter")
    option = page.locator("[data-typeahead-item]", has_text="南京市江宁区人力资源和社会保障局")
    expect(option).to_be_visible()
    option.click()
    page.fill("#id_code", "32010001")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text(
        "编码前6位应为该单位的行政区划代码 320115"
    )
    assert not IssuingUnit.objects.exists()
    page.fill("#id_code", "32011501")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已新增")
    unit = IssuingUnit.objects.get(code="32011501")
    assert unit.organization == orgs["county_jn"]

    # 编辑 the code.
    page.click("table a:has-text('编辑')")
    page.fill("#id_code", "32011502")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    unit.refresh_from_db()
    assert unit.code == "32011502"

    # Query and 导出查询结果.
    page.goto(f"{live_server.url}/certificates/issuing-units/")
    page.fill("#id_name", "江宁")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 1 条")
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    with open(download.value.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    assert [r[2] for r in rows[1:]] == ["32011502"]

    # 注销: the dialog requires the reason; 取消 changes nothing.
    page.click("table button:has-text('注销')")
    modal = page.locator("#confirm-modal")
    expect(modal).to_contain_text("确定注销发证单位")
    modal.locator("[data-confirm-ok]").click()
    expect(modal.locator("#confirm-reason")).to_have_class("form-control is-invalid")
    modal.locator("button:has-text('取消')").click()
    unit.refresh_from_db()
    assert unit.is_active
    page.click("table button:has-text('注销')")
    modal.locator("#confirm-reason").fill("机构职能调整")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("已注销")
    unit.refresh_from_db()
    assert (unit.status, unit.deregister_reason, unit.deregistered_by) == (
        "deregistered",
        "机构职能调整",
        hr_city,
    )
    expect(page.locator("table")).to_contain_text("已注销")
    expect(page.locator("table button:has-text('注销')")).to_have_count(0)
    assert errors == []


def test_certificate_numbers_as_an_hr_officer(page, live_server, hr_city, orgs):
    """1.16 证书编号生成: 录入发证单位名称，回车查看发证单位列表，选择发证单位；录入开始序号、结束序号，
    点生成证号 — an overlap refused on the form, then the numbers listed, queried and exported."""
    from django.utils import timezone

    from zhicheng.certificates import services
    from zhicheng.certificates.models import CertificateNumber

    year = timezone.localdate().year
    unit = services.issuing_unit_create(
        actor=hr_city, organization=orgs["city_nj"], code="32010001"
    )
    services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=unit, year=year, start=1, end=50
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.16"]')
    expect(page.locator("h4", has_text="证书编号生成")).to_be_visible()
    expect(page.locator('[data-testid="total"]')).to_have_text("共 50 条")

    page.click(".list-toolbar a:has-text('生成证书编号')")
    search = page.locator("#id_issuing_unit_search")
    search.fill("南京市人力")
    search.press("Enter")
    option = page.locator("[data-typeahead-item]", has_text="南京市人力资源和社会保障局")
    expect(option).to_contain_text("32010001")
    option.click()
    expect(page.locator("[data-typeahead-chosen]")).to_have_text(
        "已选择：南京市人力资源和社会保障局（32010001）"
    )
    expect(page.locator("#id_year")).to_have_value(str(year))
    page.fill("#id_start", "41")
    page.fill("#id_end", "60")
    page.click("button[type=submit]:has-text('生成证号')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text("已有 10 个证书编号生成过")
    assert CertificateNumber.objects.count() == 50
    page.fill("#id_start", "51")
    page.click("button[type=submit]:has-text('生成证号')")
    expect(page.locator(".alert-success")).to_contain_text(
        f"已生成证书编号 10 个：32010001{year}000051–32010001{year}000060"
    )
    expect(page.locator('[data-testid="total"]')).to_have_text("共 60 条")

    page.fill("#id_number", f"32010001{year}00005")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 10 条")
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    with open(download.value.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    assert [r[0] for r in rows[1:]] == [f"32010001{year}00005{i}" for i in range(10)]
    assert errors == []


def test_certificates_are_issued_opened_and_verified(
    page, live_server, hr_city, nj_unit, pool, held, huey_immediate
):
    """1.17 证书发放: 是否发放选择否，查询；勾选；发放证书 (confirmed in the dialog) → the job's page,
    whose progress bar reaches 100 %; 查看证书 opens the signed PDF; its QR target, the public
    证书核验 page, finds it by number and name."""
    from zhicheng.certificates.models import Certificate

    first, second = held(2)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.17"]')
    expect(page.locator("h4", has_text="证书发放")).to_be_visible()
    page.select_option("#id_issued", "0")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 2 条")
    page.locator("tr", has_text="持证1").locator("input[name=holding]").check()
    page.click('[data-testid="issue"]')
    page.locator("#confirm-modal [data-confirm-ok]").click()
    progress = page.locator('[data-testid="issue-job-progress"]')
    expect(progress).to_have_attribute("data-status", "finished")
    expect(page.locator('[data-testid="issue-job-percent"]')).to_have_text("100")
    expect(progress).to_contain_text("已发放 1 份")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    certificate = Certificate.objects.get()
    assert certificate.holding == second
    page.click('[data-testid="issue-job-certificates"]')
    link = page.locator('[data-testid="certificate-link"]')
    expect(link).to_have_count(1)
    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_number", certificate.number.number)
    page.fill("#id_name", "持证1")
    page.click("button:has-text('核验')")
    expect(page.locator('[data-testid="verify-result"]')).to_contain_text("证书状态：有效")
    assert errors == []

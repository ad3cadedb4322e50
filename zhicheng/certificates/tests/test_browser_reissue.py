"""In Chromium: 证书遗失补发 end to end — the holder asks from 我的申报 with a reason, the issuing
unit's officer re-issues from 证书补发 (confirmed in the dialog), the public 证书核验 of the old
copy's QR link says 已补发 and of the new copy's 有效. And an employer's 本单位人员证书."""

import os

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from zhicheng.applications.tests.conftest import APPLICANT_PASSWORD
from zhicheng.certificates import pdf, verification
from zhicheng.certificates.services import issuing
from zhicheng.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def log_out(page):
    page.context.clear_cookies()


@override_settings(ZHICHENG_RATE_LIMITS={"verify": "1000/hour", "register": "100/hour"})
def test_the_reissue_loop_in_the_browser(page, live_server, hr_city, nj_unit, pool, held):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    certificate = issuing.certificate_issue(actor=hr_city, holding=held(1)[0], issuing_unit=nj_unit)
    holder = certificate.holding.person.user
    number, name = certificate.number.number, certificate.holding.person.name
    old_link = pdf.verification_url(
        number, name, live_server.url, verification.verification_code(number, 1)
    )

    # The holder asks for a new copy.
    log_in(page, live_server, holder.username, APPLICANT_PASSWORD)
    page.goto(f"{live_server.url}/persons/workspace/")
    row = page.locator(f'[data-testid="my-certificates"] tr[data-certificate="{certificate.pk}"]')
    row.locator('[data-testid="reissue-request"]').click()
    page.fill("#id_reason", "证书遗失")
    page.click("button[type=submit]:has-text('提交补发申请')")
    expect(page.locator("body")).to_contain_text("补发申请已提交")
    expect(row.locator('[data-testid="reissue-state"]')).to_contain_text("补发申请待办理")
    expect(row.locator('[data-testid="reissue-request"]')).to_have_count(0)
    log_out(page)

    # The issuing unit's officer re-issues it, confirming in the dialog.
    log_in(page, live_server, hr_city.username, PASSWORD)
    page.goto(f"{live_server.url}/certificates/reissues/")
    table_row = page.locator("table tbody tr", has_text=number)
    expect(table_row).to_contain_text("证书遗失")
    expect(table_row).to_contain_text("待补发")
    table_row.locator("button:has-text('补发')").first.click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_contain_text("原证书核验将显示为已补发")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator("body")).to_contain_text("已补发证书")
    expect(page.locator("table tbody tr", has_text=number)).to_contain_text("已补发")
    log_out(page)

    # The public: the old copy's QR link → 已补发; the new copy's → 有效.
    page.goto(old_link)
    expect(page.locator('[data-testid="verify-state"]')).to_contain_text("已补发")
    expect(page.locator('[data-testid="verify-result"]')).not_to_contain_text(
        certificate.holding.person.id_number
    )
    new_link = pdf.verification_url(
        number, name, live_server.url, verification.verification_code(number, 2)
    )
    page.goto(new_link)
    expect(page.locator('[data-testid="verify-state"]')).to_contain_text("有效")
    expect(page.locator('[data-testid="verify-result"]')).to_contain_text("第2份")

    # The holder downloads the new copy: 补发 on its face.
    log_in(page, live_server, holder.username, APPLICANT_PASSWORD)
    page.goto(f"{live_server.url}/persons/workspace/")
    expect(row.locator('[data-testid="certificate-copy"]')).to_contain_text("补发 第2份")
    href = row.locator('[data-testid="certificate-download"]').get_attribute("href")
    body = page.request.get(f"{live_server.url}{href}").body()
    assert verification.sha256(body) != "" and verification.signature_check(body).intact
    assert not errors, errors


def test_an_employer_sees_its_peoples_certificates(
    page, live_server, hr_city, nj_unit, pool, held, world
):
    certificate = issuing.certificate_issue(actor=hr_city, holding=held(1)[0], issuing_unit=nj_unit)
    log_in(page, live_server, world.officers["unit_a"].username, PASSWORD)
    page.goto(f"{live_server.url}/certificates/employees/")
    row = page.locator("table tbody tr", has_text=certificate.number.number)
    expect(row).to_contain_text(certificate.holding.person.name)
    expect(row).to_contain_text(certificate.holding.person.masked_id_number)
    expect(row).to_contain_text("有效")
    page.fill("input[name=name]", "没有这个人")
    page.click("button:has-text('查询')")
    expect(page.locator("table tbody")).not_to_contain_text(certificate.number.number)

"""In Chromium, as the holder (issue 10 #1): 我的申报 shows the certificate with 下载 (the signed
PDF) and 核验链接 (the public 证书核验 saying 有效), and the message that it was issued; after the
bureau revokes it, the same page says 已撤销 and tells why."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.applications.tests.conftest import APPLICANT_PASSWORD
from zhicheng.certificates.services import issuing

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_holder_finds_downloads_and_verifies_his_certificate(
    page, live_server, hr_city, nj_unit, pool, held
):
    certificate = issuing.certificate_issue(actor=hr_city, holding=held(1)[0], issuing_unit=nj_unit)
    holder = certificate.holding.person.user
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", holder.username)
    page.fill("#id_password", APPLICANT_PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/persons/workspace/")
    row = page.locator(f'[data-testid="my-certificates"] tr[data-certificate="{certificate.pk}"]')
    expect(row).to_contain_text(certificate.number.number)
    expect(row).to_contain_text("有效")
    expect(page.locator('[data-message="certificate-issued"]')).to_contain_text("已由")

    download = row.locator('[data-testid="certificate-download"]').get_attribute("href")
    response = page.request.get(f"{live_server.url}{download}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    verify = row.locator('[data-testid="certificate-verify"]').get_attribute("href")
    page.goto(f"{live_server.url}{verify}")
    expect(page.locator("body")).to_contain_text(certificate.number.number)
    expect(page.locator("body")).to_contain_text("有效")

    issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="提供虚假材料取得")
    page.goto(f"{live_server.url}/persons/workspace/")
    expect(row).to_contain_text("已撤销")
    expect(page.locator('[data-message="certificate-revoked"]')).to_contain_text("提供虚假材料取得")

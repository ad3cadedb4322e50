"""In Chromium, on the demo data: the 评审表 loop — the applicant downloads the generated form,
the employer uploads the signed scan and approves, the next levels see the form and the scan
side by side; and a 省外资格确认 filled in, refused without the certificate, then submitted."""

import os
import re

import pytest
from playwright.sync_api import expect

from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.applications.tests.test_browser import (  # noqa: F401  (patient_expect: autouse)
    fill_application,
    log_in,
    patient_expect,
    review,
    withdraw_demo_assistant_draft,
)
from zhicheng.common.samples import pdf_bytes
from zhicheng.persons.models import Person
from zhicheng.routing.models import RouteKind

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


def test_review_form_download_scan_upload_and_side_by_side(
    page, live_server, tmp_path, browser_errors
):
    sun = Person.objects.get(name="孙丽")
    app = Application.objects.get(
        person=sun, title__name="助理研究员", status=ApplicationStatus.UNDER_REVIEW
    )
    detail = f"{live_server.url}/applications/{app.pk}/"

    log_in(page, live_server, sun.id_number)
    page.goto(detail)
    panel = page.locator("[data-testid=review-form-panel]")
    expect(panel).to_contain_text("用人单位尚未上传")
    expect(panel.locator("[data-testid=review-form-upload]")).to_have_count(0)
    href = panel.locator("[data-testid=review-form-download]").get_attribute("href")
    download = page.context.request.get(f"{live_server.url}{href}")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")

    scan = tmp_path / "评审表（签字盖章）.pdf"
    scan.write_bytes(pdf_bytes())
    log_in(page, live_server, "unit_a")
    page.goto(detail)
    page.set_input_files("#review-form-file", str(scan))
    page.locator("[data-testid=review-form-upload] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("评审表扫描件已上传")
    expect(page.locator("[data-testid=review-form-scan-info]")).to_contain_text(
        "评审表（签字盖章）.pdf"
    )
    expect(review(page, live_server, "unit_a", app)).to_contain_text("审核通过")

    log_in(page, live_server, "dept_jn_it")
    page.goto(detail)
    both = page.locator("[data-testid=review-form-side-by-side]")
    expect(both).to_be_visible()
    generated = both.locator("[data-testid=review-form-generated]").get_attribute("src")
    signed = both.locator("[data-testid=review-form-scan]").get_attribute("src")
    for src, kind in ((generated, "application/pdf"), (signed, "application/pdf")):
        response = page.context.request.get(f"{live_server.url}{src}")
        assert response.status == 200 and response.headers["content-type"] == kind
    assert not browser_errors


def test_out_of_province_confirmation_submitted(page, live_server, scans, tmp_path):
    withdraw_demo_assistant_draft()
    log_in(page, live_server, "applicant_a")
    fill_application(page, method="recognition", title="工程师")
    app = Application.objects.get(
        applicant__username="applicant_a", title__name="工程师", status=ApplicationStatus.DRAFT
    )
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    page.check("#id_out_of_province")
    page.fill("#id_origin_province", "浙江省")
    page.fill("#id_origin_certificate_number", "浙人社职证〔2020〕0789号")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("申报已保存")
    expect(page.locator("[data-field=origin-province]")).to_have_text("浙江省")

    certificate = tmp_path / "浙江省职称证书.pdf"
    certificate.write_bytes(pdf_bytes())
    page.goto(f"{live_server.url}/applications/{app.pk}/attachments/")
    files = {**scans, "out_of_province_certificate": str(certificate)}
    for category in ("id_card", "diploma"):
        page.select_option("#id_category", category)
        page.set_input_files("#id_file", files[category])
        page.click("[data-testid=upload-form] button[type=submit]")
        expect(page.locator(".alert-success")).to_contain_text("已上传")
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    page.click("[data-testid=submit]")
    expect(page.get_by_text(re.compile("请上传电子档案：省外职称证书"))).to_be_visible()

    page.goto(f"{live_server.url}/applications/{app.pk}/attachments/")
    page.select_option("#id_category", "out_of_province_certificate")
    page.set_input_files("#id_file", files["out_of_province_certificate"])
    page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已上传")
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    page.click("[data-testid=submit]")
    expect(page.locator(".alert-success")).to_contain_text("送“南京江宁智能装备有限公司”审核")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.out_of_province and app.route_kind == RouteKind.RECOGNITION

"""评审表: generated from the application (no blank field), the employer uploads the signed
scan, higher levels see both; scope and bad input through the pages and the API."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhicheng.applications.tests.conftest import upload
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes
from zhicheng.reviewforms import selectors, services
from zhicheng.reviewforms.models import ReviewFormScan
from zhicheng.reviewforms.pdf import EMPTY

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    return subprocess.run(
        [tool, "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def test_sheet_fills_every_field_with_none_where_empty(world, submitted):
    app = submitted("recognition", current_title_name="", current_title_date=None)
    sheet = selectors.review_form_sheet(user=world.applicant, application=app)
    values = dict(sheet.fields)
    assert all(value.strip() for value in values.values())
    assert values["现职称"] == EMPTY and values["现职称取得时间"] == EMPTY
    assert values["受理号"] == (getattr(app, "acceptance_number", "") or EMPTY)
    assert values["证件号码"] == world.zhang.id_number  # the applicant's own, whole
    assert values["工作单位"] == world.orgs["unit_a"].name


def test_sheet_shows_acceptance_number_when_the_application_has_one(world, submitted):
    app = submitted("recognition")
    app.acceptance_number = "SL2026000123"
    sheet = selectors.review_form_sheet(user=world.applicant, application=app)
    assert dict(sheet.fields)["受理号"] == "SL2026000123"


def test_pdf_embeds_the_cjk_font_and_says_what_the_application_says(world, submitted, client):
    app = submitted("evaluation")
    client.force_login(world.applicant)
    response = client.get(reverse("reviewforms:review-form-pdf", args=[app.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(pdf_text(body).split())  # table cells wrap long names
    assert "专业技术职务任职资格评审表" in text
    assert "张伟" in text and "高级工程师" in text
    assert world.committee.name in text
    assert b"FontFile2" in body  # the TrueType font is embedded


def test_employer_uploads_scan_and_reviewer_sees_both(world, submitted, climb, client):
    app = submitted("recognition")
    unit = world.officers["unit_a"]
    client.force_login(unit)
    url = reverse("reviewforms:review-form-scan-upload", args=[app.pk])
    response = client.post(url, {"file": upload("评审表.pdf", pdf_bytes(), "application/pdf")})
    assert response.status_code == 302
    scan = ReviewFormScan.objects.get(application=app)
    assert scan.uploaded_by == unit and scan.content_type == "application/pdf"

    app = climb(app, "unit_a")
    client.force_login(world.officers["dept_jn_it"])
    page = client.get(reverse("applications:application-detail", args=[app.pk]))
    html = page.content.decode()
    assert 'data-testid="review-form-side-by-side"' in html
    assert reverse("reviewforms:review-form-scan", args=[app.pk]) in html
    assert 'data-testid="review-form-upload"' not in html  # not the employer
    file = client.get(reverse("reviewforms:review-form-scan", args=[app.pk]))
    assert file.status_code == 200 and file["X-Frame-Options"] == "SAMEORIGIN"


def test_new_upload_replaces_the_scan(world, submitted):
    app = submitted("recognition")
    unit = world.officers["unit_a"]
    services.review_form_scan_upload(actor=unit, application=app, upload=upload())
    again = services.review_form_scan_upload(
        actor=unit, application=app, upload=upload("2.pdf", pdf_bytes(), "application/pdf")
    )
    assert ReviewFormScan.objects.filter(application=app).count() == 1
    assert again.content_type == "application/pdf"


@pytest.mark.parametrize("who", ["applicant", "county_jn"])
def test_only_the_employer_uploads(world, submitted, who):
    app = submitted("recognition")
    actor = world.applicant if who == "applicant" else world.officers[who]
    with pytest.raises(ApplicationError, match="用人单位经办"):
        services.review_form_scan_upload(actor=actor, application=app, upload=upload())
    assert not ReviewFormScan.objects.exists()


def test_no_scan_of_a_draft(world, draft):
    app = draft("recognition")
    with pytest.raises(ApplicationError, match="草稿"):
        services.review_form_scan_upload(
            actor=world.officers["unit_a"], application=app, upload=upload()
        )


def test_a_file_that_is_not_a_scan_is_refused_in_chinese(world, submitted, client):
    app = submitted("recognition")
    client.force_login(world.officers["unit_a"])
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")
    response = client.post(
        reverse("reviewforms:review-form-scan-upload", args=[app.pk]), {"file": bad}, follow=True
    )
    assert "不是有效的PDF" in response.content.decode()
    assert not ReviewFormScan.objects.exists()


def test_out_of_scope_is_404(world, submitted, make_applicant, client):
    app = submitted("recognition")
    other = make_applicant("李娜")
    client.force_login(other.user)
    assert client.get(reverse("reviewforms:review-form-pdf", args=[app.pk])).status_code == 404
    assert client.get(reverse("reviewforms:review-form-scan", args=[app.pk])).status_code == 404


def api(client, user):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_api_download_upload_and_read_scan(world, submitted, client):
    app = submitted("recognition")
    base = f"/api/v1/review-forms/{app.pk}/"
    applicant = api(client, world.applicant)
    response = applicant.get(base)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert applicant.get(base + "scan/").status_code == 404
    refused = applicant.post(base + "scan/", {"file": upload()})
    assert refused.status_code == 400 and "用人单位经办" in refused.json()["detail"]

    unit = api(client, world.officers["unit_a"])
    created = unit.post(base + "scan/", {"file": upload()})
    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "image/png"
    assert unit.get(base + "scan/").status_code == 200
    empty = unit.post(base + "scan/", {})
    assert empty.status_code == 400


def test_api_out_of_scope_and_unknown_are_404(world, submitted, make_applicant, client):
    app = submitted("recognition")
    other = api(client, make_applicant("李娜").user)
    assert other.get(f"/api/v1/review-forms/{app.pk}/").status_code == 404
    assert other.post(f"/api/v1/review-forms/{app.pk}/scan/", {"file": upload()}).status_code == 404
    assert other.get("/api/v1/review-forms/999999/").status_code == 404


def test_api_lists_the_scans_in_scope(world, submitted, make_applicant, client):
    app = submitted("recognition")
    services.review_form_scan_upload(
        actor=world.officers["unit_a"], application=app, upload=upload()
    )
    city = api(client, world.officers["city_nj"])
    rows = city.get("/api/v1/review-forms/", {"application": app.pk}).json()["results"]
    assert [row["application"] for row in rows] == [app.pk]
    assert city.get("/api/v1/review-forms/", {"application": "x"}).status_code == 400
    other = api(client, make_applicant("李娜").user)
    assert other.get("/api/v1/review-forms/").json()["results"] == []

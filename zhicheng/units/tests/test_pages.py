"""The 用人单位 pages: public registration (bad code, already registered), the review list and
its actions, the 内部公示 page with its exports and uploads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.roles import Role
from zhicheng.common import workdays
from zhicheng.common.samples import pdf_bytes
from zhicheng.units.models import RegistrationStatus, UnitPublicity, UnitRegistration

from .conftest import UNIT_PASSWORD, new_uscc

MONDAY = dt.date(2025, 3, 3)


def _form(orgs, **overrides):
    return {
        "uscc": new_uscc(),
        "name": "南京江宁测试科技有限公司",
        "contact_name": "刘洋",
        "contact_phone": "025-52101234",
        "competent": orgs["dept_jn_it"].pk,
        "password1": UNIT_PASSWORD,
        "password2": UNIT_PASSWORD,
        **overrides,
    }


def test_the_registration_page_registers_and_sends_to_login(client, orgs):
    page = client.get("/units/register/")
    assert page.status_code == 200 and "主管单位" in page.content.decode()
    response = client.post("/units/register/", _form(orgs))
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert UnitRegistration.objects.get().status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("uscc", "message"),
    [("91320115MA1TEK7010", "校验位错误"), ("ABC", "18位")],
)
def test_a_bad_code_is_shown_on_the_page(client, orgs, uscc, message):
    response = client.post("/units/register/", _form(orgs, uscc=uscc))
    assert response.status_code == 200 and message in response.content.decode()
    assert not UnitRegistration.objects.exists()


def test_an_already_registered_code_is_shown_on_the_page(client, orgs):
    response = client.post("/units/register/", _form(orgs, uscc=orgs["unit_a"].uscc))
    assert "已注册" in response.content.decode()
    assert not UnitRegistration.objects.exists()


def test_the_competent_officer_reviews_on_the_pages(client, register, orgs, make_user):
    reg = register()
    officer = make_user(orgs["dept_jn_it"], Role.EMPLOYER_OFFICER, username="t_dept")
    client.force_login(officer)
    listing = client.get("/units/registrations/").content.decode()
    assert reg.name in listing
    detail = client.get(f"/units/registrations/{reg.pk}/")
    assert detail.status_code == 200
    client.post(f"/units/registrations/{reg.pk}/refuse/", {"reason": ""})
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.PENDING  # a refusal needs its reason
    client.post(f"/units/registrations/{reg.pk}/approve/")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.APPROVED


def test_out_of_scope_registration_is_404(client, register, orgs, make_user):
    reg = register()
    other = make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz")
    client.force_login(other)
    assert client.get(f"/units/registrations/{reg.pk}/").status_code == 404
    assert client.post(f"/units/registrations/{reg.pk}/approve/").status_code == 404


@pytest.mark.unit_publicity
def test_the_publicity_page(client, world, submitted, monkeypatch):
    monkeypatch.setattr(workdays, "today", lambda: MONDAY)
    app = submitted("initial")
    client.force_login(world.officers["unit_a"])
    page = client.get("/units/publicity/").content.decode()
    assert app.person.name in page and "推荐前须进行单位内部公示" in page
    detail = client.get(f"/applications/{app.pk}/").content.decode()
    assert 'data-testid="unit-publicity-problem"' in detail
    pdf = client.get("/units/publicity/sheet.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.post("/exports/unit-publicity-sheet/")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    short = client.post(
        "/units/publicity/new/",
        {"applications": [app.pk], "starts_on": "2025-03-03", "ends_on": "2025-03-04"},
    )
    assert short.status_code == 400 and "不少于5个工作日" in short.content.decode()
    client.post(
        "/units/publicity/new/",
        {"applications": [app.pk], "starts_on": "2025-03-03", "ends_on": "2025-03-07"},
    )
    publicity = UnitPublicity.objects.get()
    monkeypatch.setattr(workdays, "today", lambda: MONDAY + dt.timedelta(days=7))
    scan = SimpleUploadedFile("结果.pdf", pdf_bytes(), "application/pdf")
    response = client.post(
        f"/units/publicity/{publicity.pk}/result/",
        {f"r{publicity.pk}-file": scan, f"r{publicity.pk}-recommendation": "同意推荐。"},
    )
    assert response.status_code == 302
    publicity.refresh_from_db()
    assert publicity.has_result
    assert client.get(f"/units/publicity/{publicity.pk}/scan/").status_code == 200
    assert "已完成内部公示，可推荐" in client.get("/units/publicity/").content.decode()

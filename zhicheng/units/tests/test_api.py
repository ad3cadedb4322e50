"""The 用人单位 API: public registration (bad and duplicate codes), review, password reset,
publicity with its exports — scoped, 400 with Chinese messages, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common import workdays
from zhicheng.common.samples import pdf_bytes
from zhicheng.units.models import RegistrationStatus, UnitRegistration

from .conftest import UNIT_PASSWORD, new_uscc

MONDAY = dt.date(2025, 3, 3)


def _body(orgs, **overrides):
    return {
        "uscc": new_uscc(),
        "name": "南京江宁测试科技有限公司",
        "contact_name": "刘洋",
        "contact_phone": "025-52101234",
        "competent": orgs["dept_jn_it"].pk,
        "password": UNIT_PASSWORD,
        "password_confirm": UNIT_PASSWORD,
        **overrides,
    }


def test_public_registration_then_review(api_client, orgs, world):
    client = api_client()
    response = client.post("/api/v1/auth/unit-register/", _body(orgs), format="json")
    assert response.status_code == 201, response.content
    reg_id = response.json()["id"]
    officer = api_client(world.officers["dept_jn_it"])
    listed = officer.get("/api/v1/unit-registrations/?status=pending").json()
    assert [row["id"] for row in listed["results"]] == [reg_id]
    response = officer.post(f"/api/v1/unit-registrations/{reg_id}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    export = officer.get("/api/v1/unit-registrations/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("uscc", "message"),
    [("12345", "18位"), ("91320115MA1TEK7010", "校验位")],
)
def test_a_bad_code_is_400_and_nothing_is_written(api_client, orgs, uscc, message):
    before = UnitRegistration.objects.count(), User.objects.count()
    response = api_client().post(
        "/api/v1/auth/unit-register/", _body(orgs, uscc=uscc), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert (UnitRegistration.objects.count(), User.objects.count()) == before


def test_a_code_already_registered_is_400(api_client, orgs):
    response = api_client().post(
        "/api/v1/auth/unit-register/", _body(orgs, uscc=orgs["unit_a"].uscc), format="json"
    )
    assert response.status_code == 400 and "已注册" in response.json()["detail"]


def test_an_unknown_competent_unit_is_400(api_client, orgs):
    response = api_client().post(
        "/api/v1/auth/unit-register/",
        _body(orgs, competent=orgs["unit_b"].pk),
        format="json",
    )
    assert response.status_code == 400 and "主管单位" in response.json()["detail"]


def test_competent_typeahead_is_public(api_client, orgs):
    response = api_client().get("/api/v1/units/competent/?search=工业和信息化")
    names = [row["name"] for row in response.json()["results"]]
    assert "南京市江宁区工业和信息化局" in names


def test_registrations_are_scoped(api_client, orgs, world, make_user, register):
    reg = register()
    other = api_client(make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz"))
    assert other.get("/api/v1/unit-registrations/").json()["results"] == []
    assert other.get(f"/api/v1/unit-registrations/{reg.pk}/").status_code == 404
    assert other.post(f"/api/v1/unit-registrations/{reg.pk}/approve/").status_code == 404
    applicant = api_client(world.applicant)
    assert applicant.get("/api/v1/unit-registrations/").status_code == 403
    response = api_client(world.officers["dept_jn_it"]).post(
        f"/api/v1/unit-registrations/{reg.pk}/refuse/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.PENDING


def test_password_reset_by_the_level_above(api_client, world):
    unit_officer = world.officers["unit_a"]
    response = api_client(world.officers["dept_jn_it"]).post(
        f"/api/v1/unit-accounts/{unit_officer.pk}/reset-password/"
    )
    assert response.status_code == 200
    unit_officer.refresh_from_db()
    assert unit_officer.check_password(response.json()["password"])
    same_level = api_client(unit_officer).post(
        f"/api/v1/unit-accounts/{world.officers['dept_jn_it'].pk}/reset-password/"
    )
    assert same_level.status_code == 400


@pytest.mark.unit_publicity
def test_publicity_through_the_api(api_client, world, submitted, monkeypatch):
    monkeypatch.setattr(workdays, "today", lambda: MONDAY)
    app = submitted("initial")
    client = api_client(world.officers["unit_a"])
    sheet = client.get("/api/v1/unit-publicity-sheet/")
    assert [row["id"] for row in sheet.json()["results"]] == [app.pk]
    xlsx = client.get("/api/v1/unit-publicity-sheet/export/")
    assert xlsx.status_code == 200
    pdf = client.get("/api/v1/unit-publicity-sheet/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    short = client.post(
        "/api/v1/unit-publicities/",
        {"applications": [app.pk], "starts_on": "2025-03-03", "ends_on": "2025-03-05"},
        format="json",
    )
    assert short.status_code == 400 and "5个工作日" in short.json()["detail"]
    created = client.post(
        "/api/v1/unit-publicities/",
        {"applications": [app.pk], "starts_on": "2025-03-03", "ends_on": "2025-03-07"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    early = client.post(f"/api/v1/applications/{app.pk}/approve/", {"opinion": ""}, format="json")
    assert early.status_code == 400 and "单位内部公示" in early.json()["detail"]
    monkeypatch.setattr(workdays, "today", lambda: MONDAY + dt.timedelta(days=7))
    scan = SimpleUploadedFile("结果.pdf", pdf_bytes(), "application/pdf")
    result = client.post(
        f"/api/v1/unit-publicities/{pk}/result/",
        {"file": scan, "recommendation": "经单位内部公示，无异议，同意推荐。"},
        format="multipart",
    )
    assert result.status_code == 200, result.content
    assert client.get(f"/api/v1/unit-publicities/{pk}/scan/").status_code == 200
    approved = client.post(f"/api/v1/applications/{app.pk}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.content
    other = api_client(world.officers["county_jn"])
    assert other.get(f"/api/v1/unit-publicities/{pk}/").status_code == 200  # above: in scope

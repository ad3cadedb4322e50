"""/api/v1/quota-declarations/ (1.22): declare, correct, query, export — scope, permissions, bad
input answered in Chinese with nothing changed."""

import io

import pytest
from openpyxl import load_workbook

from zhicheng.quotas.models import QuotaDeclaration
from zhicheng.quotas.tests.conftest import CONTACT, COUNTS

URL = "/api/v1/quota-declarations/"


def test_an_employer_declares_and_corrects_through_the_api(api_client, unit_a_officer, orgs):
    client = api_client(unit_a_officer)
    created = client.post(URL, {"year": 2026, **COUNTS, **CONTACT}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["organization"] == orgs["unit_a"].pk
    assert (body["senior_vacant"], body["intermediate_vacant"]) == (3, 0)
    patched = client.patch(f"{URL}{body['id']}/", {"senior_requested": 1}, format="json")
    assert patched.status_code == 200
    assert patched.json()["senior_requested"] == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"senior_requested": 9}, "detail", "超过空岗数"),
        ({"senior_approved": -1}, "senior_approved", "大于或者等于 0"),
        ({"year": "明年"}, "year", "合法的整数"),
        ({"contact_phone": "abc"}, "detail", "联系电话应为"),
        ({"year": 2025}, "detail", "已有职数申报"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_changes(
    api_client, unit_a_officer, declared, payload, field, message
):
    data = {"year": 2026, **COUNTS, **CONTACT, **payload}
    response = api_client(unit_a_officer).post(URL, data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert QuotaDeclaration.objects.count() == 1


def test_hr_officers_query_their_subtree_and_cannot_write(
    api_client, hr_city, hr_province, unit_f_officer, declared
):
    api_client(unit_f_officer).post(URL, {"year": 2025, **COUNTS, **CONTACT}, format="json")
    city = api_client(hr_city)
    assert [d["organization_name"] for d in city.get(URL).json()["results"]] == [
        "南京江宁智能装备有限公司"
    ]
    assert api_client(hr_province).get(URL, {"year": 2025}).json()["count"] == 2
    other = QuotaDeclaration.objects.exclude(pk=declared.pk).get()
    assert city.get(f"{URL}{other.pk}/").status_code == 404
    assert city.get(f"{URL}{declared.pk}/").json()["contact_name"] == "王敏"
    assert city.post(URL, {"year": 2026, **COUNTS, **CONTACT}, format="json").status_code == 403
    patch = city.patch(f"{URL}{declared.pk}/", {"senior_requested": 0}, format="json")
    assert patch.status_code == 403


def test_another_employer_cannot_see_or_correct_it(api_client, unit_f_officer, declared):
    client = api_client(unit_f_officer)
    assert client.get(URL).json()["count"] == 0
    response = client.patch(f"{URL}{declared.pk}/", {"senior_requested": 0}, format="json")
    assert response.status_code == 404
    declared.refresh_from_db()
    assert declared.senior_requested == 3


def test_applicants_are_refused(api_client, applicant, declared):
    client = api_client(applicant)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export/").status_code == 403


def test_export_matches_the_query(api_client, hr_province, unit_f_officer, declared):
    api_client(unit_f_officer).post(URL, {"year": 2026, **COUNTS, **CONTACT}, format="json")
    response = api_client(hr_province).get(f"{URL}export/", {"year": 2025})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("申报单位", "统一社会信用代码", "年度")
    assert [(r[0], r[2], r[3], r[5]) for r in rows[1:]] == [
        ("南京江宁智能装备有限公司", 2025, 10, 3)
    ]

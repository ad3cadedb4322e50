"""/api/v1/certificate-numbers/ (1.16): generate, query, export — scope, permissions, bad input."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhicheng.certificates import services
from zhicheng.certificates.models import CertificateNumber

URL = "/api/v1/certificate-numbers/"
YEAR = timezone.localdate().year


def test_an_officer_generates_a_range_and_is_told_the_numbers(api_client, hr_city, nj_unit):
    response = api_client(hr_city).post(
        URL, {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 1, "end": 120}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["count"] == 120
    assert body["first_number"] == f"32010001{YEAR}000001"
    assert body["message"] == (f"已生成证书编号 120 个：32010001{YEAR}000001–32010001{YEAR}000120")
    assert CertificateNumber.objects.count() == 120


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"start": 50, "end": 10}, "detail", "开始序号不能大于结束序号"),
        ({"start": 0}, "start", "大于或者等于 1"),
        ({"end": 1_000_000}, "end", "小于或者等于 999999"),
        ({"start": "一"}, "start", "合法的整数"),
        ({"year": 1990}, "detail", "年度应在 2000–"),
        ({"issuing_unit": 999999}, "issuing_unit", "无效主键"),
        ({"issuing_unit": "sz"}, "detail", "不在您的管辖范围内"),
        ({"start": 5, "end": 6}, "detail", "已有 2 个证书编号生成过"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_is_generated(
    api_client, hr_city, nj_unit, sz_unit, payload, field, message
):
    services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=nj_unit, year=YEAR, start=1, end=10
    )
    data = {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 100, "end": 120, **payload}
    if data["issuing_unit"] == "sz":
        data["issuing_unit"] = sz_unit.pk
    response = api_client(hr_city).post(URL, data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert CertificateNumber.objects.count() == 10


def test_the_query_is_scoped_and_filtered(api_client, hr_city, hr_suzhou, nj_unit, sz_unit):
    for actor, unit, end in ((hr_city, nj_unit, 30), (hr_suzhou, sz_unit, 20)):
        services.certificate_numbers_generate(
            actor=actor, issuing_unit=unit, year=YEAR, start=1, end=end
        )
    client = api_client(hr_city)
    assert client.get(URL).json()["count"] == 30
    assert client.get(URL, {"issuing_unit": sz_unit.pk}).json()["count"] == 0
    page = client.get(URL, {"number": f"32010001{YEAR}00002"}).json()
    assert [n["sequence"] for n in page["results"]] == list(range(20, 30))
    assert page["results"][0]["status_display"] == "未使用"
    assert page["results"][0]["issuing_unit_name"] == "南京市人力资源和社会保障局"
    assert client.get(URL, {"status": "used"}).json()["count"] == 0
    assert client.get(URL, {"year": "二〇二六"}).status_code == 400


def test_roles_without_the_permissions_are_refused(api_client, applicant, hr_city, nj_unit):
    client = api_client(applicant)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export/").status_code == 403
    response = client.post(URL, {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 1, "end": 2})
    assert response.status_code == 403
    assert not CertificateNumber.objects.exists()


def test_export_matches_the_query(api_client, hr_city, nj_unit):
    services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=nj_unit, year=YEAR, start=1, end=25
    )
    response = api_client(hr_city).get(f"{URL}export/", {"number": f"32010001{YEAR}00001"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    header = rows[0]
    assert header[:2] == ("证书编号", "发证单位")
    assert [r[0] for r in rows[1:]] == [f"32010001{YEAR}0000{i}" for i in range(10, 20)]
    assert {r[5] for r in rows[1:]} == {"未使用"}

"""/api/v1/certificates/ (1.17): issue, list, the PDF — permissions, scope, bad input."""

import pytest

from zhicheng.certificates.models import Certificate

URL = "/api/v1/certificates/"


def test_issue_list_and_download(api_client, hr_city, hr_suzhou, nj_unit, pool, held):
    first, second = held(2)
    client = api_client(hr_city)
    response = client.post(
        f"{URL}issue/",
        {"holdings": [first.pk, second.pk, first.pk], "issuing_unit": nj_unit.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["name"] for c in body["issued"]] == ["张伟", "持证1"]
    assert body["refused"] == [] and body["message"] == "已发放证书 2 份"
    assert client.get(URL).json()["count"] == 2
    certificate = Certificate.objects.order_by("pk").first()
    pdf = client.get(f"{URL}{certificate.pk}/file/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    other = api_client(hr_suzhou)
    assert other.get(URL).json()["count"] == 0
    assert other.get(f"{URL}{certificate.pk}/file/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"holdings": []}, "holdings", "不能为空"),
        ({"holdings": ["a"]}, "holdings", "合法的整数"),
        ({"issuing_unit": None}, "issuing_unit", "不能为 null"),
        ({"issuing_unit": 999999}, "detail", "发证单位不存在或不在您的管辖范围内"),
    ],
)
def test_bad_input_is_a_chinese_400(
    api_client, hr_city, nj_unit, pool, held, payload, field, message
):
    (holding,) = held(1)
    data = {"holdings": [holding.pk], "issuing_unit": nj_unit.pk, **payload}
    response = api_client(hr_city).post(f"{URL}issue/", data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Certificate.objects.exists()


def test_applicants_and_reviewers_are_refused(api_client, applicant, nj_unit, pool, held):
    (holding,) = held(1)
    client = api_client(applicant)
    # An applicant lists his own certificates only (none here); issuing stays refused.
    listing = client.get(URL)
    assert listing.status_code == 200 and listing.json()["results"] == []
    response = client.post(
        f"{URL}issue/", {"holdings": [holding.pk], "issuing_unit": nj_unit.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()

"""/api/v1/issuing-units/: scope, permissions, bad input, deregister."""

import pytest

from zhicheng.certificates.models import IssuingUnit

URL = "/api/v1/issuing-units/"


def test_unauthenticated_requests_are_refused(db, api_client):
    assert api_client().get(URL).status_code in (401, 403)
    assert api_client().post(URL, {}).status_code in (401, 403)


def test_roles_without_the_view_permission_are_refused(api_client, applicant, nj_unit):
    assert api_client(applicant).get(URL).status_code == 403
    assert api_client(applicant).get(f"{URL}{nj_unit.pk}/").status_code == 403


def test_an_officer_lists_units_of_its_subtree_only(
    api_client, hr_city, hr_province, nj_unit, sz_unit
):
    city = api_client(hr_city).get(URL).json()
    assert [u["code"] for u in city["results"]] == ["32010001"]
    assert city["results"][0]["organization_name"] == "南京市人力资源和社会保障局"
    assert api_client(hr_province).get(URL).json()["count"] == 2


def test_out_of_scope_and_unknown_units_are_404(api_client, hr_city, sz_unit):
    client = api_client(hr_city)
    assert client.get(f"{URL}{sz_unit.pk}/").status_code == 404
    assert client.get(f"{URL}999999/").status_code == 404
    response = client.post(f"{URL}{sz_unit.pk}/deregister/", {"reason": "越权"})
    assert response.status_code == 404
    sz_unit.refresh_from_db()
    assert sz_unit.is_active


def test_an_officer_creates_a_unit(api_client, hr_city, orgs):
    response = api_client(hr_city).post(
        URL, {"organization": orgs["county_jn"].pk, "code": "32011501"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status_display"] == "正常"
    assert response.json()["region_code"] == "320115"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"code": "32010001"}, "detail", "已被“南京市人力资源和社会保障局”使用"),
        ({"code": "1234"}, "detail", "应为8位数字"),
        ({"code": "32050002"}, "detail", "编码前6位应为该单位的行政区划代码"),
        ({"code": ""}, "code", "不能为空"),
        ({"organization": 999999}, "organization", "无效主键"),
        ({"organization": "city_sz"}, "detail", "不在您的管辖范围内"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_changes(
    api_client, hr_city, orgs, nj_unit, payload, field, message
):
    data = {"organization": orgs["unit_k"].pk, "code": "32010002", **payload}
    if data["organization"] in orgs:
        data["organization"] = orgs[data["organization"]].pk
    response = api_client(hr_city).post(URL, data)
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert IssuingUnit.objects.count() == 1


def test_deregister_needs_a_reason_and_keeps_the_row(api_client, hr_city, nj_unit):
    client = api_client(hr_city)
    blank = client.post(f"{URL}{nj_unit.pk}/deregister/", {"reason": "  "})
    assert blank.status_code == 400
    assert "不能为空" in str(blank.json()["reason"])
    done = client.post(f"{URL}{nj_unit.pk}/deregister/", {"reason": "机构撤并"})
    assert done.status_code == 200
    assert done.json()["status"] == "deregistered"
    assert done.json()["deregister_reason"] == "机构撤并"
    assert done.json()["deregistered_by_name"] == str(hr_city)
    again = client.post(f"{URL}{nj_unit.pk}/deregister/", {"reason": "再次"})
    assert again.status_code == 400
    assert again.json()["detail"] == "该发证单位已注销"
    assert client.delete(f"{URL}{nj_unit.pk}/").status_code in (403, 405)
    assert IssuingUnit.objects.filter(pk=nj_unit.pk).exists()


def test_patch_corrects_the_code(api_client, hr_city, nj_unit):
    response = api_client(hr_city).patch(f"{URL}{nj_unit.pk}/", {"code": "32010005"})
    assert response.status_code == 200
    assert response.json()["code"] == "32010005"


def test_search_is_the_typeahead_of_active_units(
    api_client, hr_province, nj_unit, sz_unit, hr_suzhou
):
    from zhicheng.certificates.services import issuing_unit_deregister

    issuing_unit_deregister(actor=hr_suzhou, issuing_unit=sz_unit, reason="撤并")
    client = api_client(hr_province)
    assert [u["code"] for u in client.get(URL, {"search": "320"}).json()["results"]] == ["32010001"]
    everything = client.get(URL, {"search": "3", "include_deregistered": "1"}).json()["results"]
    assert len(everything) == 2


def test_export_through_the_api_uses_the_list_filters_and_scope(
    api_client, hr_city, nj_unit, sz_unit
):
    import io

    from openpyxl import load_workbook

    response = api_client(hr_city).get(f"{URL}export/", {"status": "active"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[2] for r in rows[1:]] == ["32010001"]


def test_applicant_cannot_export(api_client, applicant):
    assert api_client(applicant).get(f"{URL}export/").status_code == 403

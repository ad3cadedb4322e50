"""1.9 pages: list with query, 新增 via the organization typeahead field, 编辑, 注销, 导出."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.certificates.models import IssuingUnit

LIST = reverse("certificates:issuing-unit-list")


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


def test_the_list_shows_units_in_scope_with_actions(client_for, hr_city, nj_unit, sz_unit):
    body = text(client_for(hr_city).get(LIST))
    assert "32010001" in body and "32050001" not in body
    assert 'data-confirm-reason="注销原因"' in body
    assert "共 1 条" in body


def test_the_query_filters_by_status(client_for, hr_province, hr_city, nj_unit, sz_unit):
    from zhicheng.certificates.services import issuing_unit_deregister

    issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    body = text(client_for(hr_province).get(LIST, {"status": "active"}))
    assert "32050001" in body and "32010001" not in body


def test_create_page_marks_required_fields_and_saves(client_for, hr_city, orgs):
    client = client_for(hr_city)
    page = text(client.get(reverse("certificates:issuing-unit-create")))
    assert page.count('class="required-mark"') >= 2
    assert "6位行政区划代码 + 2位顺序号" in page
    response = client.post(
        reverse("certificates:issuing-unit-create"),
        {"organization": orgs["county_jn"].pk, "code": "32011501"},
    )
    assert response.status_code == 302
    assert IssuingUnit.objects.filter(code="32011501", organization=orgs["county_jn"]).exists()


@pytest.mark.parametrize(
    ("org_key", "code", "message"),
    [
        ("city_nj", "3201", "发证单位编码应为8位数字"),
        ("city_nj", "32050001", "编码前6位应为该单位的行政区划代码 320100"),
        ("city_sz", "32050001", "机构不存在或不在管辖范围内"),
    ],
)
def test_create_errors_re_render_the_form(client_for, hr_city, orgs, org_key, code, message):
    response = client_for(hr_city).post(
        reverse("certificates:issuing-unit-create"),
        {"organization": orgs[org_key].pk, "code": code},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not IssuingUnit.objects.exists()


def test_deregister_needs_the_reason_from_the_confirmation(client_for, hr_city, nj_unit):
    client = client_for(hr_city)
    url = reverse("certificates:issuing-unit-deregister", args=[nj_unit.pk])
    response = client.post(url, {"reason": "", "next": LIST}, follow=True)
    assert "请填写注销原因" in text(response)
    nj_unit.refresh_from_db()
    assert nj_unit.is_active
    response = client.post(url, {"reason": "机构撤并", "next": LIST}, follow=True)
    assert "已注销" in text(response)
    nj_unit.refresh_from_db()
    assert nj_unit.deregister_reason == "机构撤并"
    detail = text(client.get(reverse("certificates:issuing-unit-detail", args=[nj_unit.pk])))
    assert "机构撤并" in detail and "注销人" in detail


def test_out_of_scope_pages_are_404(client_for, hr_city, sz_unit):
    client = client_for(hr_city)
    assert (
        client.get(reverse("certificates:issuing-unit-detail", args=[sz_unit.pk])).status_code
        == 404
    )
    url = reverse("certificates:issuing-unit-deregister", args=[sz_unit.pk])
    assert client.post(url, {"reason": "越权"}).status_code == 404


def test_roles_without_permission_get_403(client_for, applicant):
    assert client_for(applicant).get(LIST).status_code == 403


def test_export_writes_the_rows_of_the_current_query(client_for, hr_province, nj_unit, sz_unit):
    response = client_for(hr_province).post(
        reverse("tabular:export", args=["issuing-units"]), {"name": "苏州"}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("单位名称", "统一社会信用代码", "编码")
    assert [r[2] for r in rows[1:]] == ["32050001"]
    assert rows[1][3] == "正常"

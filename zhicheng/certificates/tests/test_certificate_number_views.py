"""1.16 pages: the 证书编号库 with its query and 导出查询结果, and 生成证书编号 through the issuing
unit typeahead — required fields marked, refusals on the form, nothing generated on error."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhicheng.certificates import services
from zhicheng.certificates.models import CertificateNumber

LIST = reverse("certificates:number-list")
GENERATE = reverse("certificates:number-generate")
YEAR = timezone.localdate().year


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


def test_the_generate_page_marks_required_fields_and_searches_issuing_units(client_for, hr_city):
    page = text(client_for(hr_city).get(GENERATE))
    for label in ("发证单位", "年度", "开始序号", "结束序号"):
        assert f'<span class="required-mark">*</span>{label}</label>' in page
    assert 'data-url="/api/v1/issuing-units/"' in page
    assert 'data-name-key="organization_name" data-code-key="code"' in page
    assert f'value="{YEAR}"' in page  # 年度 defaults to this year
    assert "发证单位编码（8位）+ 年度（4位）+ 序号（6位）" in page
    assert "生成证号" in page


def test_generating_shows_the_new_numbers_in_the_list(client_for, hr_city, nj_unit):
    client = client_for(hr_city)
    response = client.post(
        GENERATE, {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 1, "end": 30}, follow=True
    )
    body = text(response)
    assert f"已生成证书编号 30 个：32010001{YEAR}000001–32010001{YEAR}000030" in body
    assert response.redirect_chain[-1][0] == f"{LIST}?number=32010001{YEAR}"
    assert "共 30 条" in body and f"32010001{YEAR}000001" in body and "未使用" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 9, "end": 1}, "开始序号不能大于结束序号"),
        ({"start": 5, "end": 12}, "已有 6 个证书编号生成过"),
        ({"issuing_unit": "sz"}, "发证单位不存在或不在您的管辖范围内"),
        ({"issuing_unit": "abc"}, "发证单位不存在或不在您的管辖范围内"),
        ({"issuing_unit": ""}, "该字段是必填项"),
        ({"end": ""}, "该字段是必填项"),
        ({"end": 1_000_000}, "999999"),
    ],
)
def test_a_refused_generation_stays_on_the_form_and_generates_nothing(
    client_for, hr_city, nj_unit, sz_unit, data, message
):
    services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=nj_unit, year=YEAR, start=7, end=20
    )
    posted = {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 100, "end": 110, **data}
    if posted["issuing_unit"] == "sz":
        posted["issuing_unit"] = sz_unit.pk
    response = client_for(hr_city).post(GENERATE, posted)
    assert response.status_code == 200
    assert message in text(response)
    assert CertificateNumber.objects.count() == 14


def test_a_deregistered_unit_cannot_be_chosen(client_for, hr_city, nj_unit):
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    response = client_for(hr_city).post(
        GENERATE, {"issuing_unit": nj_unit.pk, "year": YEAR, "start": 1, "end": 2}
    )
    assert "已注销，不能选择" in text(response)
    assert not CertificateNumber.objects.exists()


def test_the_list_is_scoped_and_its_export_matches_the_query(
    client_for, hr_city, hr_suzhou, nj_unit, sz_unit
):
    services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=nj_unit, year=YEAR, start=1, end=12
    )
    services.certificate_numbers_generate(
        actor=hr_suzhou, issuing_unit=sz_unit, year=YEAR, start=1, end=5
    )
    client = client_for(hr_city)
    body = text(client.get(LIST))
    assert "共 12 条" in body and "32050001" not in body
    assert "生成证书编号" in body  # the toolbar button
    query = {"number": f"32010001{YEAR}00001"}
    assert "共 3 条" in text(client.get(LIST, query))
    export = client.post(reverse("tabular:export", args=["certificate-numbers"]), query)
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == [f"32010001{YEAR}0000{i}" for i in (10, 11, 12)]


def test_roles_without_the_permission_are_refused(client_for, applicant):
    client = client_for(applicant)
    assert client.get(LIST).status_code == 403
    assert client.get(GENERATE).status_code == 403

"""1.22 pages: 职数申报查询 for HR bureaus (query, 详情, 导出), 申报职数 / 修改 for the employer."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.quotas.models import QuotaDeclaration
from zhicheng.quotas.tests.conftest import CONTACT, COUNTS

LIST = reverse("quotas:declaration-list")
CREATE = reverse("quotas:declaration-create")


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


def test_hr_queries_views_details_and_exports(client_for, hr_city, declared):
    client = client_for(hr_city)
    body = text(client.get(LIST))
    assert "南京江宁智能装备有限公司" in body and "10 / 7 / 3" in body and "共 1 条" in body
    assert "申报职数</a>" not in body and ">修改<" not in body  # HR only reads
    assert "共 0 条" in text(client.get(LIST, {"year": 2026}))
    detail = text(client.get(reverse("quotas:declaration-detail", args=[declared.pk])))
    assert "高级空岗数" in detail and "025-52100000" in detail
    export = client.post(reverse("tabular:export", args=["quota-declarations"]), {"name": "江宁"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == ["南京江宁智能装备有限公司"]


def test_the_employer_declares_on_the_form(client_for, unit_a_officer):
    client = client_for(unit_a_officer)
    assert "申报职数</a>" in text(client.get(LIST))  # the toolbar button HR officers lack
    page = text(client.get(CREATE))
    for label in ("年度", "高级核定岗位数", "联系人", "联系电话"):
        assert f'<span class="required-mark">*</span>{label}</label>' in page
    assert '<span class="required-mark">*</span>说明' not in page
    data = {"year": 2026, **COUNTS, **CONTACT, "note": ""}
    response = client.post(CREATE, {**data, "senior_requested": 5})
    assert "高级申报职数（5）超过空岗数（3" in text(response)
    assert not QuotaDeclaration.objects.exists()
    response = client.post(CREATE, data, follow=True)
    assert "已提交南京江宁智能装备有限公司 2026年度职数申报" in text(response)
    declaration = QuotaDeclaration.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "quotas:declaration-detail", args=[declaration.pk]
    )


def test_the_employer_corrects_its_declaration(client_for, unit_a_officer, declared):
    client = client_for(unit_a_officer)
    url = reverse("quotas:declaration-update", args=[declared.pk])
    page = text(client.get(url))
    assert 'name="year"' not in page and 'value="王敏"' in page
    assert ">修改<" in text(client.get(LIST))
    data = {**COUNTS, **CONTACT, "senior_requested": 1, "note": "调整"}
    response = client.post(url, data, follow=True)
    assert "已保存" in text(response)
    declared.refresh_from_db()
    assert (declared.senior_requested, declared.note) == (1, "调整")


def test_out_of_scope_pages_are_404_and_roles_are_checked(
    client_for, unit_f_officer, applicant, declared
):
    other = client_for(unit_f_officer)
    assert other.get(reverse("quotas:declaration-detail", args=[declared.pk])).status_code == 404
    assert other.get(reverse("quotas:declaration-update", args=[declared.pk])).status_code == 404
    assert client_for(applicant).get(LIST).status_code == 403

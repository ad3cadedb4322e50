"""1.19 证书撤销 and 1.20 证书查询: revoke with a required reason (证书核验 then says 已撤销), query
the scope's certificates, 详情, 导出 matching the query."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.certificates.models import CertificateStatus
from zhicheng.certificates.services import issuing
from zhicheng.common.errors import ApplicationError


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_revoke_needs_a_reason_and_happens_once(hr_city, hr_suzhou, applicant, issued):
    certificate = issued[0]
    with pytest.raises(ApplicationError, match="请填写撤销原因"):
        issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason=" ")
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        issuing.certificate_revoke(actor=hr_suzhou, certificate=certificate, reason="越权")
    with pytest.raises(ApplicationError):
        issuing.certificate_revoke(actor=applicant, certificate=certificate, reason="越权")
    revoked = issuing.certificate_revoke(
        actor=hr_city, certificate=certificate, reason="提供虚假材料取得"
    )
    assert (revoked.status, revoked.revoked_by, revoked.revoke_reason) == (
        CertificateStatus.REVOKED,
        hr_city,
        "提供虚假材料取得",
    )
    with pytest.raises(ApplicationError, match="已撤销"):
        issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="再次")


def test_the_pages_query_revoke_and_export(hr_city, hr_suzhou, issued):
    client = client_for(hr_city)
    listing = client.get(reverse("certificates:certificate-list")).content.decode()
    assert "共 2 条" in listing and "撤销原因" in listing
    revoke_page = client.get(reverse("certificates:revoke-list")).content.decode()
    assert 'data-confirm-reason="撤销原因"' in revoke_page
    target = issued[1]
    url = reverse("certificates:certificate-revoke", args=[target.pk])
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写撤销原因" in refused
    done = client.post(url, {"reason": "以不正当手段取得"}, follow=True).content.decode()
    assert "已撤销" in done
    target.refresh_from_db()
    assert target.status == CertificateStatus.REVOKED
    detail = client.get(reverse("certificates:certificate-detail", args=[target.pk]))
    assert "以不正当手段取得" in detail.content.decode()
    export = client.post(reverse("tabular:export", args=["certificates"]), {"status": "revoked"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    status = rows[0].index("状态")
    assert [(r[0], r[status]) for r in rows[1:]] == [(target.number.number, "已撤销")]
    verify = Client().get("/verify/", {"number": target.number.number, "name": "持证1"})
    assert "证书状态：<strong>已撤销</strong>" in verify.content.decode()
    other = client_for(hr_suzhou)
    assert "共 0 条" in other.get(reverse("certificates:certificate-list")).content.decode()
    assert other.post(url, {"reason": "越权"}).status_code == 404


def test_revoke_through_the_api(api_client, hr_city, hr_suzhou, issued):
    url = f"/api/v1/certificates/{issued[0].pk}/revoke/"
    blank = api_client(hr_city).post(url, {"reason": ""}, format="json")
    assert blank.status_code == 400 and "不能为空" in str(blank.json()["reason"])
    assert api_client(hr_suzhou).post(url, {"reason": "越权"}, format="json").status_code == 404
    done = api_client(hr_city).post(url, {"reason": "撤销"}, format="json")
    assert done.status_code == 200 and done.json()["status_display"] == "已撤销"


def test_the_export_names_the_holder_and_the_title(hr_city, issued):
    """证书查询's export: 身份证号 (whole for who may see it, masked otherwise), 级别 and 专业
    beside the title."""
    from zhicheng.certificates.tabular import CERTIFICATES_KEY
    from zhicheng.tabular.engine import get_export_spec
    from zhicheng.tabular.writer import write_export

    spec = get_export_spec(CERTIFICATES_KEY)
    headers = [column.header for column in spec.columns]
    assert headers[:6] == ["证书编号", "姓名", "身份证号", "职称", "级别", "专业"]
    holding = issued[0].holding
    for full in (True, False):
        buffer = io.BytesIO()
        rows = spec.queryset(hr_city, {}).values_list(*(c.field for c in spec.columns))
        write_export(
            title=spec.title, columns=spec.columns, rows=rows, fileobj=buffer, full_id=full
        )
        sheet = list(load_workbook(io.BytesIO(buffer.getvalue())).active.values)
        row = next(r for r in sheet[1:] if r[0] == issued[0].number.number)
        assert row[4:6] == ("助理级", holding.specialty.name)
        if full:
            assert row[2] == holding.person.id_number
        else:
            assert row[2] != holding.person.id_number and "*" in row[2]

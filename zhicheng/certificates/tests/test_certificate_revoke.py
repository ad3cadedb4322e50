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


@pytest.fixture
def issued(hr_city, nj_unit, pool, held):
    """Two certificates of the Nanjing unit (张伟, 持证1)."""
    return [
        issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
        for holding in held(2)
    ]


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
    assert [(r[0], r[5]) for r in rows[1:]] == [(target.number.number, "已撤销")]
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

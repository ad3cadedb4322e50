"""证书遗失补发: the holder asks, the issuing unit's officer re-issues the same number and content
with a new signature and a 补发 mark; the old copy verifies as 已补发, the new one as 有效 —
through the services, the pages and the API."""

import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from zhicheng.audit.models import LogEntry
from zhicheng.certificates import verification
from zhicheng.certificates.models import CertificateReissue, ReissueStatus
from zhicheng.certificates.services import issuing, reissue
from zhicheng.common.errors import ApplicationError


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdftotext(path: str) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    return subprocess.run([tool, path, "-"], capture_output=True, text=True, check=True).stdout


def test_the_reissue_loop_through_the_services(issued, hr_city):
    certificate = issued[0]
    holder = certificate.holding.person.user
    number = certificate.number.number
    old_bytes = certificate.file.open("rb").read()
    old_code = verification.verification_code(number, 1)

    with pytest.raises(ApplicationError, match="补发原因"):
        reissue.reissue_request(actor=holder, certificate=certificate, reason=" ")
    with pytest.raises(ApplicationError, match="不是您本人"):
        reissue.reissue_request(actor=holder, certificate=issued[1], reason="遗失")
    request = reissue.reissue_request(actor=holder, certificate=certificate, reason="证书遗失")
    with pytest.raises(ApplicationError, match="已有待办理"):
        reissue.reissue_request(actor=holder, certificate=certificate, reason="再次")
    with pytest.raises(ApplicationError):  # the holder cannot re-issue himself
        reissue.reissue_approve(actor=holder, reissue=request)

    done = reissue.reissue_approve(actor=hr_city, reissue=request)
    assert done.status == ReissueStatus.APPROVED and done.copy == 2
    certificate.refresh_from_db()
    assert certificate.copy == 2 and certificate.number.number == number
    new_bytes = certificate.file.open("rb").read()
    assert new_bytes != old_bytes
    assert certificate.sha256 == verification.sha256(new_bytes)
    assert done.superseded_sha256 == verification.sha256(old_bytes)
    assert done.superseded_file.open("rb").read() == old_bytes  # the old copy is kept
    with pytest.raises(ApplicationError, match="不能重复办理"):
        reissue.reissue_approve(actor=hr_city, reissue=request)

    # The face: same number and content, a 补发 mark with the copy number, the new 核验码.
    face = _pdftotext(certificate.file.path)
    new_code = verification.verification_code(number, 2)
    assert number in face and certificate.holding.person.name in face
    assert "补发" in face and "第2份" in face and new_code in face and old_code not in face
    assert verification.signature_check(new_bytes).intact

    # Which copy verifies how.
    assert verification.copy_state(certificate, old_code) == verification.SUPERSEDED
    assert verification.copy_state(certificate, new_code) == verification.VALID
    assert verification.copy_state(certificate, "") == verification.VALID
    assert verification.copy_state(certificate, "ABCDEFGH") == verification.MISMATCH
    assert verification.file_state(certificate, old_bytes) == verification.SUPERSEDED
    assert verification.file_state(certificate, new_bytes) == verification.VALID
    assert verification.file_state(certificate, b"%PDF other") is None

    operations = set(
        LogEntry.objects.filter(additional_data__operation__startswith="reissue").values_list(
            "additional_data__operation", flat=True
        )
    )
    assert operations == {"reissue_request", "reissue"}

    # Revoked later: every copy reads 已撤销.
    issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="提供虚假材料")
    certificate.refresh_from_db()
    assert verification.copy_state(certificate, old_code) == verification.REVOKED
    with pytest.raises(ApplicationError, match="不能申请补发"):
        reissue.reissue_request(actor=holder, certificate=certificate, reason="遗失")


def test_a_refusal_needs_a_reason_and_is_shown_to_the_holder(issued, hr_city, hr_suzhou):
    certificate = issued[0]
    holder = certificate.holding.person.user
    request = reissue.reissue_request(actor=holder, certificate=certificate, reason="遗失")
    with pytest.raises(ApplicationError, match="不在您的管辖范围"):
        reissue.reissue_refuse(actor=hr_suzhou, reissue=request, opinion="不是本单位")
    with pytest.raises(ApplicationError, match="原因"):
        reissue.reissue_refuse(actor=hr_city, reissue=request, opinion="")
    reissue.reissue_refuse(actor=hr_city, reissue=request, opinion="请先登报声明作废")
    page = client_for(holder).get(reverse("persons:workspace")).content.decode()
    assert "不予补发：请先登报声明作废" in page
    assert 'data-testid="reissue-request"' in page  # may ask again


@override_settings(ZHICHENG_RATE_LIMITS={"verify": "1000/hour", "register": "100/hour"})
def test_the_reissue_loop_through_the_pages(issued, hr_city):
    cache.clear()
    certificate = issued[0]
    holder = certificate.holding.person.user
    name = certificate.holding.person.name
    number = certificate.number.number
    holder_page = client_for(holder)
    workspace = holder_page.get(reverse("persons:workspace")).content.decode()
    ask = reverse("certificates:reissue-request", args=[certificate.pk])
    assert ask in workspace
    assert holder_page.get(ask).status_code == 200
    # Not somebody else's certificate.
    other = reverse("certificates:reissue-request", args=[issued[1].pk])
    assert holder_page.get(other).status_code == 404
    response = holder_page.post(ask, {"reason": "证书遗失"})
    assert response.status_code == 302
    workspace = holder_page.get(reverse("persons:workspace")).content.decode()
    assert "补发申请待办理" in workspace and ask not in workspace

    officer = client_for(hr_city)
    listing = officer.get(reverse("certificates:reissue-list")).content.decode()
    assert number in listing and "证书遗失" in listing and "待补发" in listing
    row = CertificateReissue.objects.get()
    approve = reverse("certificates:reissue-approve", args=[row.pk])
    assert approve in listing and "data-confirm" in listing
    assert holder_page.post(approve).status_code == 403
    response = officer.post(approve, follow=True)
    assert "已补发证书" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.copy == 2

    verify = reverse("verify")
    old = officer.get(
        verify, {"number": number, "name": name, "code": verification.verification_code(number)}
    ).content.decode()
    assert "证书状态：<strong>已补发</strong>" in old
    new = Client().get(
        verify,
        {"number": number, "name": name, "code": verification.verification_code(number, 2)},
    )
    body = new.content.decode()
    assert "证书状态：<strong>有效</strong>" in body and "第2份" in body
    assert certificate.holding.person.id_number not in body  # never the whole 证件号码
    assert certificate.holding.person.masked_id_number in body
    # The export of the list.
    export = officer.get(reverse("certificates:reissue-list"), {"export": "xlsx"})
    assert export.status_code in (200, 302)


def test_the_reissue_api(issued, hr_city, api_client):
    certificate = issued[0]
    holder = certificate.holding.person.user
    api = api_client(holder)
    refused = api.post(
        "/api/v1/certificate-reissues/", {"certificate": issued[1].pk, "reason": "x"}
    )
    assert refused.status_code == 400
    created = api.post(
        "/api/v1/certificate-reissues/", {"certificate": certificate.pk, "reason": "遗失"}
    )
    assert created.status_code == 201, created.content
    row_id = created.json()["id"]
    assert api.post(f"/api/v1/certificate-reissues/{row_id}/approve/").status_code == 403
    assert [r["id"] for r in api.get("/api/v1/certificate-reissues/").json()["results"]] == [row_id]
    officer = api_client(hr_city)
    listing = officer.get("/api/v1/certificate-reissues/", {"status": "requested"}).json()
    assert [r["number"] for r in listing["results"]] == [certificate.number.number]
    done = officer.post(f"/api/v1/certificate-reissues/{row_id}/approve/", {"opinion": "同意"})
    assert done.status_code == 200 and done.json()["copy"] == 2
    again = officer.post(f"/api/v1/certificate-reissues/{row_id}/refuse/", {"opinion": "x"})
    assert again.status_code == 400

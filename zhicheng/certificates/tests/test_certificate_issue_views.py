"""1.17 pages: 是否发放 query, 勾选 → 发放证书 from the chosen unit, 查看证书 (the signed PDF to
who may see it), and the public 证书核验 page."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhicheng.certificates.models import Certificate, IssueJob
from zhicheng.certificates.services import issue_jobs, issuing
from zhicheng.common.security import FILE_POLICY

LIST = reverse("certificates:issue-list")
ISSUE = reverse("certificates:issue")
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


def test_an_officer_issues_the_ticked_rows_and_opens_the_certificate(
    client_for, hr_city, nj_unit, pool, held
):
    first, second = held(2)
    client = client_for(hr_city)
    page = text(client.get(LIST, {"issued": "0"}))
    assert "共 2 条" in page and 'form="issue-form"' in page and "32010001" in page
    response = client.post(ISSUE, {"holding": [first.pk], "issuing_unit": nj_unit.pk, "next": LIST})
    job = IssueJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:issue-job", args=[job.pk])
    assert "已提交发放 1 份证书" in text(client.get(response["Location"]))
    issue_jobs.issue_job_run(job.pk)  # the worker
    page = text(client.get(response["Location"]))
    assert "已完成" in page and "已发放 1 份" in page
    assert "共 1 条" in text(client.get(LIST, {"issued": "0"}))
    certificate = Certificate.objects.get()
    issued = text(client.get(LIST, {"issued": "1"}))
    assert "查看证书" in issued and certificate.number.number in issued
    pdf = client.get(reverse("certificates:certificate-file", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Security-Policy"] == FILE_POLICY
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_refusals_come_back_as_messages_and_change_nothing(
    client_for, hr_city, nj_unit, sz_unit, pool, held
):
    (holding,) = held(1)
    client = client_for(hr_city)
    none = client.post(ISSUE, {"issuing_unit": nj_unit.pk}, follow=True)
    assert "请勾选要发放证书的人员" in text(none)
    other = client.post(ISSUE, {"holding": [holding.pk], "issuing_unit": sz_unit.pk}, follow=True)
    assert "发证单位不存在或不在您的管辖范围内" in text(other)
    junk = client.post(ISSUE, {"holding": ["abc"], "issuing_unit": "x"}, follow=True)
    assert junk.status_code == 200
    assert not Certificate.objects.exists()


def test_certificates_are_served_only_in_scope(
    client_for, hr_city, hr_suzhou, applicant, nj_unit, pool, held
):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    url = reverse("certificates:certificate-file", args=[certificate.pk])
    assert client_for(hr_suzhou).get(url).status_code == 404
    # An applicant may open certificates, but only his own: another's is not found.
    assert client_for(applicant).get(url).status_code == 404
    assert client_for(hr_suzhou).get(LIST).status_code == 200
    assert client_for(applicant).get(LIST).status_code == 403


def test_public_verification_by_number_and_name(hr_city, nj_unit, pool, held, settings):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    number = certificate.number.number
    anonymous = Client()
    found = text(anonymous.get("/verify/", {"number": number, "name": "张伟"}))
    assert "证书状态：<strong>有效</strong>" in found and "助理工程师" in found
    wrong = text(anonymous.get("/verify/", {"number": number, "name": "李四"}))
    assert "未找到与该证书编号和姓名相符的证书" in wrong and "助理工程师" not in wrong
    assert f'name="number" value="{number}" maxlength="18" required' in found  # kept
    assert 'name="code" maxlength=' in found and 'name="code" value' not in found
    refused = text(anonymous.get("/verify/", {"number": "1", "name": "x"}))
    assert "证书编号为18位数字" in refused and 'aria-invalid="true" id="id_number"' in refused
    # Nothing on the page posts: no CSRF token made, no cookie set, no confirmation modal.
    assert "csrftoken" not in anonymous.cookies and "confirm-modal" not in found
    assert 'class="form-field" data-field="name"' in text(anonymous.get("/verify/"))
    cache.clear()
    settings.ZHICHENG_RATE_LIMITS = {**settings.ZHICHENG_RATE_LIMITS, "verify": "2/hour"}
    for _ in range(2):
        assert anonymous.get("/verify/", {"number": number, "name": "张伟"}).status_code == 200
    limited = anonymous.get("/verify/", {"number": number, "name": "张伟"})
    assert limited.status_code == 429  # as registration answers its limit
    assert "查询过于频繁" in text(limited) and "有效</strong>" not in text(limited)


def test_the_job_page_polls_lists_failures_and_the_officer_s_jobs(
    client_for, hr_city, hr_suzhou, nj_unit, pool, held
):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    client = client_for(hr_city)
    # 全部发放: every holding of the scope without a certificate.
    response = client.post(ISSUE, {"everything": "1", "issuing_unit": nj_unit.pk})
    job = IssueJob.objects.get()
    assert job.holding_ids == [second.pk]
    url = response["Location"]
    # Double submit: the same job again.
    assert client.post(ISSUE, {"everything": "1", "issuing_unit": nj_unit.pk})["Location"] == url
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'hx-trigger="every 1s"' in text(polled)
    job.holding_ids = [second.pk, first.pk]
    job.total = 2
    job.save(update_fields=["holding_ids", "total"])
    issue_jobs.issue_job_run(job.pk)
    over = client.get(url, headers={"HX-Request": "true"})
    assert over.status_code == 286 and "hx-trigger" not in text(over)
    assert "已发放证书" in text(over) and 'data-testid="issue-job-failures"' in text(over)
    listing = text(client.get(reverse("certificates:issue-jobs")))
    assert f"#{job.pk}" in listing and "1 / 2" in listing
    # Another city's officer does not see it.
    assert client_for(hr_suzhou).get(url).status_code == 404
    assert f"#{job.pk}" not in text(client_for(hr_suzhou).get(reverse("certificates:issue-jobs")))

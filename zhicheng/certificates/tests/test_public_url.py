"""The QR code of a certificate points at the public 证书核验: ``ZHICHENG_PUBLIC_URL`` when set,
else the address that served the issuing request (a development server on any port), else
the development default."""

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.certificates import pdf
from zhicheng.certificates.models import Certificate, IssueJob
from zhicheng.certificates.services import issue_jobs, issuing
from zhicheng.certificates.verification import verification_code

HOST = "127.0.0.1:8765"


@pytest.fixture
def qr_targets(monkeypatch):
    """What each certificate's QR code encodes, as it is drawn."""
    targets: list[str] = []
    real = pdf.qr_modules

    def recording(value):
        targets.append(value)
        return real(value)

    monkeypatch.setattr(pdf, "qr_modules", recording)
    return targets


@pytest.fixture
def unset(settings):
    settings.ZHICHENG_PUBLIC_URL = ""


def test_issued_on_the_page_the_qr_points_at_the_serving_address(
    unset, qr_targets, hr_city, nj_unit, pool, held
):
    (holding,) = held(1)
    client = Client(HTTP_HOST=HOST)
    client.force_login(hr_city)
    client.post(
        reverse("certificates:issue"), {"holding": [holding.pk], "issuing_unit": nj_unit.pk}
    )
    issue_jobs.issue_job_run(IssueJob.objects.get().pk)
    number = Certificate.objects.get().number.number
    code = verification_code(number)  # the QR link carries the copy's 核验码
    assert qr_targets == [pdf.verification_url(number, "张伟", f"http://{HOST}", code)]
    assert qr_targets[0].startswith(f"http://{HOST}/verify/?number={number}&name=")


def test_issued_through_the_api_the_qr_points_at_the_serving_address(
    unset, qr_targets, api_client, hr_city, nj_unit, pool, held
):
    (holding,) = held(1)
    response = api_client(hr_city).post(
        "/api/v1/certificates/issue/",
        {"holdings": [holding.pk], "issuing_unit": nj_unit.pk},
        format="json",
        HTTP_HOST=HOST,
    )
    assert response.status_code == 200, response.json()
    assert qr_targets[0].startswith(f"http://{HOST}/verify/?")


def test_the_configured_address_wins_and_without_a_request_the_default_serves(
    settings, qr_targets, hr_city, nj_unit, pool, held
):
    first, second = held(2)
    settings.ZHICHENG_PUBLIC_URL = "https://zc.example.gov.cn/"
    client = Client(HTTP_HOST=HOST)
    client.force_login(hr_city)
    client.post(reverse("certificates:issue"), {"holding": [first.pk], "issuing_unit": nj_unit.pk})
    issue_jobs.issue_job_run(IssueJob.objects.get().pk)
    assert qr_targets[0].startswith("https://zc.example.gov.cn/verify/?")
    settings.ZHICHENG_PUBLIC_URL = ""
    issuing.certificate_issue(actor=hr_city, holding=second, issuing_unit=nj_unit)  # e.g. demo
    assert qr_targets[1].startswith("http://127.0.0.1:8000/verify/?")

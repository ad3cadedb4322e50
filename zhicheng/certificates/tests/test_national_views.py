"""1.18 pages: the list of the scope's certificates with their report state (query, export),
勾选 → 批量上报, 全部上报, 重新上报; the menu entry and the home 待上报 card."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhicheng.certificates.models import NationalReport, NationalReportStatus
from zhicheng.certificates.services import national
from zhicheng.certificates.tests.test_export_dates import export_sheet
from zhicheng.portal.dashboard import todo_cards

pytestmark = pytest.mark.django_db

LIST = reverse("certificates:national-report-list")
REPORT = reverse("certificates:national-report")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_list_ticks_and_reports_the_chosen_certificates(hr_city, issued):
    client = client_for(hr_city)
    page = text(client.get(LIST, {"report_status": "none"}))
    assert "共 2 条" in page and 'form="report-form"' in page and "批量上报" in page
    assert "全部上报" in page and "未上报" in page
    response = client.post(REPORT, {"certificate": [issued[0].pk], "next": LIST})
    assert response.status_code == 302
    assert NationalReport.objects.get().certificate_id == issued[0].pk
    page = text(client.get(LIST, {"report_status": "none"}))
    assert "共 1 条" in page
    page = text(client.get(LIST, {"report_status": "pending"}))
    assert "共 1 条" in page and issued[0].number.number in page and "待上报" in page
    # A second 上报 of the same certificate writes nothing.
    client.post(REPORT, {"certificate": [issued[0].pk]})
    assert NationalReport.objects.count() == 1
    client.post(REPORT, {"everything": "1"})
    assert NationalReport.objects.count() == 2


def test_query_by_name_number_unit_and_date(hr_city, issued):
    client = client_for(hr_city)
    name = issued[1].holding.person.name
    assert "共 1 条" in text(client.get(LIST, {"name": name}))
    assert "共 1 条" in text(client.get(LIST, {"number": issued[0].number.number}))
    assert "共 2 条" in text(client.get(LIST, {"issuing_unit_name": "南京"}))
    # The filter reads dates in the bureau's time zone (Asia/Shanghai), not UTC.
    day = timezone.localdate(issued[0].issued_at).isoformat()
    assert "共 2 条" in text(client.get(LIST, {"issued_from": day, "issued_to": day}))
    assert "共 0 条" in text(client.get(LIST, {"issued_from": "2999-01-01"}))


def test_export_of_the_list(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    header, rows = export_sheet(hr_city, "national-reports", report_status="pending")
    assert "上报状态" in header and "身份证号" in header and "选择" not in header
    assert len(rows) == 1
    assert rows[0][header.index("证书编号")].value == issued[0].number.number
    assert rows[0][header.index("上报状态")].value == "待上报"


def test_a_failure_shows_its_error_and_is_reported_again(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    (claimed,) = national.national_reports_claim()
    national.national_report_settle(claimed, national.Attempt(False, "HTTP 400 坏记录", True))
    client = client_for(hr_city)
    page = text(client.get(LIST, {"report_status": "failed"}))
    assert "共 1 条" in page and "HTTP 400 坏记录" in page and "重新上报" in page
    retry = reverse("certificates:national-report-retry", args=[issued[0].pk])
    assert client.post(retry).status_code == 302
    assert NationalReport.objects.get().status == NationalReportStatus.PENDING


def test_scope_and_permission(hr_suzhou, applicant, issued):
    page = text(client_for(hr_suzhou).get(LIST))
    assert "共 0 条" in page
    client_for(hr_suzhou).post(REPORT, {"everything": "1"})
    assert not NationalReport.objects.exists()
    assert client_for(applicant).get(LIST).status_code == 403
    assert client_for(applicant).post(REPORT, {"everything": "1"}).status_code == 403
    retry = reverse("certificates:national-report-retry", args=[issued[0].pk])
    assert client_for(hr_suzhou).post(retry).status_code in (403, 404)


def test_menu_and_home_card(hr_city, issued):
    page = text(client_for(hr_city).get("/"))
    assert LIST in page
    card = next(c for c in todo_cards(hr_city) if c.key == "to_report")
    assert card.count == 2 and card.label == "待上报" and "report_status=none" in card.url
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    assert next(c for c in todo_cards(hr_city) if c.key == "to_report").count == 1

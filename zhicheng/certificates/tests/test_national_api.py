"""/api/v1/national-reports/ (1.18): list with the listing's filters, report/ (ids or all),
{id}/retry/ — scope, permissions, bad input."""

import pytest

from zhicheng.certificates.models import NationalReport, NationalReportStatus
from zhicheng.certificates.services import national

pytestmark = pytest.mark.django_db

URL = "/api/v1/national-reports/"


def test_list_report_and_filters(api_client, hr_city, issued):
    client = api_client(hr_city)
    body = client.get(URL).json()
    assert body["count"] == 2
    assert {item["report_status"] for item in body["results"]} == {None}
    response = client.post(f"{URL}report/", {"certificates": [issued[0].pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reported"] == 1
    again = client.post(f"{URL}report/", {"certificates": [issued[0].pk]}, format="json").json()
    assert again["reported"] == 0 and again["skipped"][0]["certificate"] == issued[0].pk
    assert client.get(URL, {"report_status": "none"}).json()["count"] == 1
    (item,) = client.get(URL, {"report_status": "pending"}).json()["results"]
    assert item["number"] == issued[0].number.number and item["report_attempts"] == 0
    everything = client.post(f"{URL}report/", {"all": True}, format="json").json()
    assert everything["reported"] == 1
    assert NationalReport.objects.count() == 2
    assert client.get(URL, {"name": issued[1].holding.person.name}).json()["count"] == 1


def test_retry(api_client, hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    client = api_client(hr_city)
    refused = client.post(f"{URL}{issued[0].pk}/retry/")
    assert refused.status_code == 400 and "没有上报失败" in refused.json()["detail"]
    (claimed,) = national.national_reports_claim()
    national.national_report_settle(claimed, national.Attempt(False, "HTTP 422", True))
    assert client.get(URL, {"report_status": "failed"}).json()["count"] == 1
    response = client.post(f"{URL}{issued[0].pk}/retry/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["retried"] == 1 and body["certificate"]["report_status"] == "pending"
    assert NationalReport.objects.get().status == NationalReportStatus.PENDING


def test_scope_permissions_and_bad_input(api_client, hr_suzhou, hr_city, applicant, issued):
    other = api_client(hr_suzhou)
    assert other.get(URL).json()["count"] == 0
    body = other.post(f"{URL}report/", {"certificates": [issued[0].pk]}, format="json").json()
    assert body["reported"] == 0
    assert other.post(f"{URL}report/", {"all": True}, format="json").json()["reported"] == 0
    assert other.post(f"{URL}{issued[0].pk}/retry/").status_code == 404
    assert not NationalReport.objects.exists()
    holder = api_client(applicant)
    assert holder.get(URL).status_code == 403
    assert holder.post(f"{URL}report/", {"all": True}, format="json").status_code == 403
    assert api_client().get(URL).status_code in (401, 403)
    client = api_client(hr_city)
    for bad in (
        {},
        {"certificates": []},
        {"certificates": ["x"]},
        {"certificates": [0]},
        {"all": True, "certificates": [issued[0].pk]},
        {"all": "maybe"},
    ):
        response = client.post(f"{URL}report/", bad, format="json")
        assert response.status_code == 400, (bad, response.json())
    assert client.get(URL, {"report_status": "nonsense"}).status_code == 400
    assert client.get(URL, {"issued_from": "2026-13-01"}).status_code == 400
    assert client.post(f"{URL}abc/retry/").status_code == 404
    assert not NationalReport.objects.exists()

"""Fraud found later: 列入黑名单 (提供虚假材料) with the tick box revokes the person's titles obtained
by application and their certificates in one action — audited, and reported to the national
platform through the revoke path. And 本单位人员证书: employers see their people's certificates."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhicheng.audit.models import LogEntry
from zhicheng.blacklist.models import BlacklistEntry, BlacklistReason
from zhicheng.certificates.models import (
    CertificateStatus,
    NationalReport,
    NationalReportKind,
)
from zhicheng.certificates.services import fraud, national
from zhicheng.common.errors import ApplicationError


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _entry(**overrides):
    data = {
        "reason": BlacklistReason.FALSE_MATERIALS,
        "document_number": "宁人社职〔2026〕9号",
        "start_date": timezone.localdate(),
    }
    return {**data, **overrides}


def test_blacklist_and_revoke_in_one_action(issued, hr_city):
    mine, other = issued
    national.certificates_report(actor=hr_city, certificate_ids=[mine.pk])
    person = mine.holding.person
    with pytest.raises(ApplicationError, match="提供虚假材料"):
        fraud.blacklist_and_revoke(
            actor=hr_city, person=person, **_entry(reason=BlacklistReason.PLAGIARISM)
        )
    assert not BlacklistEntry.objects.exists()

    outcome = fraud.blacklist_and_revoke(actor=hr_city, person=person, **_entry())
    assert outcome.entry.person == person
    mine.refresh_from_db()
    mine.holding.refresh_from_db()
    assert mine.status == CertificateStatus.REVOKED and "提供虚假材料" in mine.revoke_reason
    assert mine.holding.revoked_at is not None
    other.refresh_from_db()
    assert other.status == CertificateStatus.VALID  # somebody else's stays
    assert NationalReport.objects.filter(certificate=mine, kind=NationalReportKind.REVOKE).exists()
    assert "已撤销职称 1 项、证书 1 份" in outcome.message
    summary = LogEntry.objects.get(additional_data__operation="fraud_revoke")
    assert mine.number.number in summary.additional_data["summary"]


def test_the_blacklist_form_offers_the_tick_box(issued, hr_city):
    mine = issued[0]
    person = mine.holding.person
    client = client_for(hr_city)
    url = reverse("blacklist:entry-create")
    form = client.get(url).content.decode()
    assert fraud.REVOKE_LABEL in form
    data = {
        "id_type": person.id_type,
        "id_number": person.id_number,
        "name": person.name,
        "reason": BlacklistReason.OTHER,
        "document_number": "宁人社职〔2026〕9号",
        "start_date": f"{timezone.localdate():%Y-%m-%d}",
        "revoke_titles": "on",
    }
    refused = client.post(url, data).content.decode()
    assert "仅原因类别为“提供虚假材料”" in refused
    data["reason"] = BlacklistReason.FALSE_MATERIALS
    done = client.post(url, data, follow=True).content.decode()
    assert "已撤销职称 1 项、证书 1 份" in done
    mine.refresh_from_db()
    assert mine.status == CertificateStatus.REVOKED


def test_the_blacklist_api_revokes_too(issued, hr_city, api_client):
    mine = issued[0]
    response = api_client(hr_city).post(
        "/api/v1/blacklist/",
        {
            "id_type": mine.holding.person.id_type,
            "id_number": mine.holding.person.id_number,
            "name": mine.holding.person.name,
            "reason": BlacklistReason.FALSE_MATERIALS,
            "document_number": "宁人社职〔2026〕9号",
            "start_date": f"{timezone.localdate():%Y-%m-%d}",
            "end_date": f"{timezone.localdate() + dt.timedelta(days=365):%Y-%m-%d}",
            "revoke_titles": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    mine.refresh_from_db()
    assert mine.status == CertificateStatus.REVOKED


def test_employers_see_their_peoples_certificates(issued, world, api_client, hr_city, make_user):
    from zhicheng.accounts.roles import Role

    unit_officer = world.officers["unit_a"]  # the applications' 申报单位
    elsewhere = make_user(world.orgs["unit_b"], Role.EMPLOYER_OFFICER, username="t_unit_b")
    numbers = sorted(c.number.number for c in issued)
    page = client_for(unit_officer).get(reverse("certificates:employee-certificate-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert all(n in body for n in numbers)
    person = issued[0].holding.person
    assert person.masked_id_number in body and person.id_number not in body
    # Their PDF opens for the employer.
    file_url = reverse("certificates:certificate-file", args=[issued[0].pk])
    assert file_url in body
    assert client_for(unit_officer).get(file_url).status_code == 200

    api = api_client(unit_officer)
    rows = api.get("/api/v1/employee-certificates/").json()["results"]
    assert sorted(r["number"] for r in rows) == numbers
    assert all("*" in r["id_number"] for r in rows)
    export = api.get("/api/v1/employee-certificates/export/")
    assert export.status_code in (200, 202), export.content

    # Another unit sees none of them; an applicant is refused; the issuing side too.
    other = client_for(elsewhere).get(reverse("certificates:employee-certificate-list"))
    assert other.status_code == 200 and numbers[0] not in other.content.decode()
    assert api_client(elsewhere).get("/api/v1/employee-certificates/").json()["results"] == []
    holder = issued[0].holding.person.user
    assert api_client(holder).get("/api/v1/employee-certificates/").status_code == 403
    assert (
        client_for(hr_city).get(reverse("certificates:employee-certificate-list")).status_code
        == 403
    )

"""The API of 评后公示, 异议 and 1.15 备案: the cycle, scope and bad input."""

import datetime as dt

from zhicheng.filings.models import FilingStatus
from zhicheng.filings.tests.conftest import ORDINARY_MONDAY
from zhicheng.titles.models import TitleHolding


def publicity_url(plan):
    return f"/api/v1/plans/{plan.pk}/publicity/"


def test_the_whole_cycle_through_the_api(
    api_client, closed_plan, participants, committee_user, hr_province, today
):
    committee = api_client(committee_user)
    shown = committee.get(publicity_url(closed_plan)).json()
    assert shown["publicity"] is None and len(shown["passed"]) == 2
    assert "id_number" not in str(shown)
    answer = committee.post(
        publicity_url(closed_plan), {"starts_on": ORDINARY_MONDAY.isoformat()}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["publicity"]["ends_on"] == "2026-11-13"
    objection = committee.post(
        "/api/v1/objections/",
        {"participant": participants[1].pk, "content": "业绩造假", "source": "实名来信"},
        format="json",
    )
    assert objection.status_code == 201, objection.content
    oid = objection.json()["id"]
    resolved = committee.post(
        f"/api/v1/objections/{oid}/resolve/",
        {"upheld": True, "resolution": "核查属实"},
        format="json",
    )
    assert resolved.json()["status"] == "upheld"
    early = committee.post(publicity_url(closed_plan) + "send/")
    assert early.status_code == 400 and "尚未结束" in early.json()["detail"]
    today(dt.date(2026, 11, 16))
    sent = committee.post(publicity_url(closed_plan) + "send/")
    assert sent.status_code == 200 and sent.json()["filing_status"] == "pending"
    filing_id = sent.json()["filing"]

    hr = api_client(hr_province)
    (row,) = hr.get("/api/v1/filings/", {"status": "pending"}).json()["results"]
    assert row["id"] == filing_id
    detail = hr.get(f"/api/v1/filings/{filing_id}/").json()
    assert [p["name"] for p in detail["passed"]] == [participants[0].application.person.name]
    refused = hr.post(f"/api/v1/filings/{filing_id}/review/", {"approved": True}, format="json")
    assert refused.status_code == 400 and "备案文号" in refused.json()["detail"]
    filed = hr.post(
        f"/api/v1/filings/{filing_id}/review/",
        {
            "approved": True,
            "opinion": "同意",
            "filing_number": "苏职备〔2026〕1号",
            "filed_on": "2026-11-16",
        },
        format="json",
    )
    assert filed.status_code == 200, filed.content
    assert filed.json()["status"] == FilingStatus.APPROVED and filed.json()["granted_count"] == 1
    assert TitleHolding.objects.get().application_id == participants[0].application_id
    assert hr.get("/api/v1/filings/export/").status_code == 200
    assert committee.get("/api/v1/objections/export/").status_code == 200


def test_scope_and_permissions(api_client, sent, world, committee_user, hr_province):
    city = api_client(world.officers["city_nj"])
    assert city.get("/api/v1/filings/").json()["count"] == 0
    assert city.get(f"/api/v1/filings/{sent.pk}/").status_code == 404
    assert (
        city.post(
            f"/api/v1/filings/{sent.pk}/review/", {"approved": False, "opinion": "x"}, format="json"
        ).status_code
        == 404
    )
    # The committee reads its filing but cannot review it.
    committee = api_client(committee_user)
    assert (
        committee.post(
            f"/api/v1/filings/{sent.pk}/review/", {"approved": False, "opinion": "x"}, format="json"
        ).status_code
        == 403
    )
    # An applicant sees nothing of it.
    applicant = api_client(world.applicant)
    assert applicant.get("/api/v1/filings/").status_code == 403
    assert applicant.get(publicity_url(sent.plan)).status_code == 403
    # HR officers cannot publish.
    assert (
        api_client(hr_province)
        .post(publicity_url(sent.plan), {"starts_on": "2026-11-20"}, format="json")
        .status_code
        == 403
    )


def test_bad_input_is_400_in_chinese(api_client, published, participants, committee_user):
    committee = api_client(committee_user)
    for body in ({}, {"participant": participants[0].pk, "content": 0, "source": "x"},
                 {"participant": participants[0].pk, "content": " ", "source": "x"}):  # fmt: skip
        answer = committee.post("/api/v1/objections/", body, format="json")
        assert answer.status_code == 400, body
    assert committee.get("/api/v1/objections/", {"status": "AAA"}).status_code == 400
    assert committee.get("/api/v1/plans/999999/publicity/").status_code == 404

"""评审会议结果, declared once (``meetings.listings.MEETING_RESULTS``): the page, the API list and
the Excel export show the committee its closed meetings' results — scores and tallies, never a
vote — and nothing before closing or to anyone else."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.accounts.roles import Role
from zhicheng.meetings import services
from zhicheng.meetings.models import VoteChoice

pytestmark = pytest.mark.django_db

API = "/api/v1/meeting-results/"


def _closed(w, committee_user, choices=None):
    """Every seated member scores and votes (同意, or ``choices[i]`` for participant i)."""
    for expert in w.members:
        for index, participant in enumerate(w.participants):
            services.score_record(
                actor=expert.account,
                participant=participant,
                scores={w.items[0].pk: 50 - index, w.items[1].pk: 30},
            )
            choice = (choices or {}).get(index, VoteChoice.AGREE)
            services.vote_cast(actor=expert.account, participant=participant, choice=choice)
    services.meeting_close(actor=committee_user, plan=w.plan)


def test_nothing_is_listed_before_the_meeting_closes(meeting_world, api_client, committee_user):
    meeting_world(2)
    body = api_client(committee_user).get(API).json()
    assert body["count"] == 0


def test_the_committee_lists_filters_and_exports_its_results(
    meeting_world, api_client, committee_user, client
):
    w = meeting_world(2)
    _closed(w, committee_user, choices={1: VoteChoice.DISAGREE})
    api = api_client(committee_user)
    body = api.get(API).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["plan"] == w.plan.pk and first["plan_name"] == w.plan.name
    assert first["agree"] == 3 and first["passed"] is True and first["rank"] == 1
    assert "votes" not in first and "choice" not in str(body)  # tallies only
    assert api.get(API, {"plan": w.plan.pk, "passed": "false"}).json()["count"] == 1
    assert api.get(API, {"plan": w.plan.pk + 1000}).json()["count"] == 0
    name = w.participants[0].application.person.name
    assert api.get(API, {"name": name}).json()["count"] == 1
    assert api.get(API, {"passed": "maybe"}).status_code == 400
    assert api.get(API, {"plan": "x"}).status_code == 400
    export = api.get(f"{API}export/", {"plan": w.plan.pk})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert rows[0][:3] == ("方案名称", "排名", "姓名") and len(rows) == 3
    assert {r[10] for r in rows[1:]} == {"通过", "未通过"}

    client.force_login(committee_user)
    page = client.get(reverse("meetings:result-list"), {"plan": w.plan.pk}).content.decode()
    assert name in page and "评审会议结果" in page and "导出" in page
    assert f"plan={w.plan.pk}" in page  # the export posts the page's query
    other = client.get(reverse("meetings:result-list"), {"plan": w.plan.pk + 1000})
    assert name not in other.content.decode()
    meeting_page = client.get(reverse("meetings:meeting", args=[w.plan.pk])).content.decode()
    assert reverse("tabular:export", args=["meeting-results"]) in meeting_page


def test_nobody_else_sees_the_results(
    meeting_world, api_client, committee_user, client, world, make_user
):
    w = meeting_world(1)
    _closed(w, committee_user)
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_stranger")
    assert api_client(stranger).get(API).json()["count"] == 0
    for user in (w.members[0].account, world.officers["province"]):
        assert api_client(user).get(API).status_code == 403
        assert api_client(user).get(f"{API}export/").status_code == 403
    client.force_login(w.members[0].account)
    assert client.get(reverse("meetings:result-list")).status_code == 403

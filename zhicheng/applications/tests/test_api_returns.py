"""API of 退回补正 (modules, deadline), 受理号 and 视为放弃, and of the applicant's 消息."""

import datetime as dt

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.applications import services
from zhicheng.inbox.models import Message

from .test_api import BASE

MESSAGES = "/api/v1/messages/"


@pytest.fixture
def api_app(submitted):
    """An evaluation application submitted (waiting at unit_a), as the API names it."""
    return {"id": submitted("evaluation").pk}


def _return(client, app_id, **payload):
    return client.post(
        f"{BASE}{app_id}/return/", {"opinion": "学历证书不清晰", **payload}, format="json"
    )


def test_return_with_modules_and_deadline_then_only_those_modules_change(
    world, api_app, api_client
):
    unit = api_client(world.officers["unit_a"])
    deadline = world.today + dt.timedelta(days=9)
    response = _return(unit, api_app["id"], modules=["education"], deadline=f"{deadline:%Y-%m-%d}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "returned"
    assert body["return_modules"] == ["education"]
    assert body["correction_deadline"] == f"{deadline:%Y-%m-%d}"

    applicant = api_client(world.applicant)
    detail = applicant.get(f"{BASE}{api_app['id']}/").json()
    assert detail["return_modules"] == ["education"]
    response = applicant.patch(f"{BASE}{api_app['id']}/", {"school": "东南大学"}, format="json")
    assert response.status_code == 200, response.json()
    response = applicant.patch(
        f"{BASE}{api_app['id']}/", {"work_start_date": "2016-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "不在补正范围内" in response.json()["detail"]
    timeline = applicant.get(f"{BASE}{api_app['id']}/timeline/").json()
    assert any(row["modules"] == ["education"] for row in timeline["records"])


def test_bad_returns_are_400_in_chinese_and_write_nothing(world, api_app, api_client):
    unit = api_client(world.officers["unit_a"])
    for payload in (
        {"deadline": "2020-01-01"},
        {"deadline_workdays": 0},
        {"modules": ["salary"]},
        {"deadline": "not-a-date"},
    ):
        response = _return(unit, api_app["id"], **payload)
        assert response.status_code == 400, payload
    detail = unit.get(f"{BASE}{api_app['id']}/").json()
    assert detail["status"] == "under_review"
    assert not Message.objects.filter(kind="return").exists()


def test_acceptance_number_in_the_answer_and_the_detail(world, api_app, api_client, climb):
    climb(
        services.application_approve(
            actor=world.officers["unit_a"], application=api_app["id"]
        ).application,
        "dept_jn_it",
    )  # noqa: E501
    county = api_client(world.officers["county_jn"])
    response = county.post(f"{BASE}{api_app['id']}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    number = response.json()["acceptance_number"]
    assert number.startswith("SL")
    assert (
        api_client(world.applicant).get(f"{BASE}{api_app['id']}/").json()["acceptance_number"]
        == number
    )


def test_messages_api_lists_counts_and_marks_read(world, api_app, api_client, make_user):
    unit = api_client(world.officers["unit_a"])
    assert unit.post(f"{BASE}{api_app['id']}/approve/", {}, format="json").status_code == 200
    applicant = api_client(world.applicant)
    assert applicant.get(f"{MESSAGES}unread-count/").json() == {"unread": 1}
    listing = applicant.get(MESSAGES).json()
    rows = listing["results"]
    assert rows[0]["kind"] == "approval" and rows[0]["is_read"] is False
    message_id = rows[0]["id"]
    # Somebody else's message is 404, and nothing changes.
    other = api_client(make_user(world.orgs["unit_a"], Role.EMPLOYER_OFFICER))
    assert other.get(f"{MESSAGES}{message_id}/").status_code == 404
    assert other.post(f"{MESSAGES}{message_id}/read/").status_code == 404
    assert other.get(MESSAGES).json()["results"] == []
    response = applicant.post(f"{MESSAGES}{message_id}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert applicant.get(f"{MESSAGES}?unread=true").json()["results"] == []
    assert applicant.get(f"{MESSAGES}?unread=abc").status_code == 400
    assert applicant.post(f"{MESSAGES}read-all/").json() == {"marked": 0}
    assert api_client().get(MESSAGES).status_code == 401

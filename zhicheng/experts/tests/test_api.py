"""/api/v1/experts/ and /api/v1/plans/<id>/panel/: scope, permissions, bad input (400, never
500), and the draw."""

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.applications.tests.conftest import specialty
from zhicheng.catalog.models import TitleSeries
from zhicheng.experts.models import Expert, ExpertStatus
from zhicheng.persons.tests.factories import id_number, with_bad_check_char

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts/"


def payload(world, **overrides) -> dict:
    return {
        "committee": world.committee.pk,
        "id_number": id_number(region="320106", seq="901"),
        "name": "钱学文",
        "series": TitleSeries.objects.get(code="engineering").pk,
        "specialty": specialty("080201").pk,
        "level": "full",
        "employer": world.orgs["unit_c"].pk,
        "term_start": "2026-01-01",
        "term_end": "2028-12-31",
        **overrides,
    }


def test_create_gives_the_initial_password_once(api_client, world):
    client = api_client(world.officers["province"])
    response = client.post(URL, payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["initial_password"] and body["username"].startswith("zj")
    assert body["status"] == "in_pool" and body["committee"] == world.committee.pk
    detail = client.get(f"{URL}{body['id']}/").json()
    assert "initial_password" not in detail


@pytest.mark.parametrize(
    "overrides",
    [
        {"level": "chief"},
        {"series": 999999},
        {"employer": "abc"},
        {"term_start": "2026-13-01"},
        {"term_end": "2025-01-01"},
        {"committee": 999999},
        {"committee": "x"},
        {"name": ""},
        {"id_number": with_bad_check_char(id_number(region="320106", seq="902"))},
        {"username": id_number(region="320106", seq="903")},  # a 身份证号 is no login name
    ],
)
def test_bad_input_is_400(api_client, world, overrides):
    response = api_client(world.officers["province"]).post(
        URL, payload(world, **overrides), format="json"
    )
    assert response.status_code == 400, response.content


def test_bad_filters_are_400_and_out_of_scope_is_404(api_client, world, fill_pool, make_user):
    expert = fill_pool(1)[0]
    officer = api_client(world.officers["province"])
    assert officer.get(URL, {"level": "chief"}).status_code == 400
    assert officer.get(URL, {"status": "out"}).json()["count"] == 0
    assert officer.get(URL, {"status": "in_pool"}).json()["count"] == 1
    suzhou = make_user(world.orgs["city_sz"], Role.HR_OFFICER, username="t_sz_api")
    assert api_client(suzhou).get(URL).json()["count"] == 0
    assert api_client(suzhou).get(f"{URL}{expert.pk}/").status_code == 404
    assert officer.get(f"{URL}abc/").status_code == 404


def test_committee_sees_only_its_pool_and_expert_login_nothing(
    api_client, world, fill_pool, make_user
):
    expert = fill_pool(1)[0]
    own = api_client(world.committee_account)
    assert own.get(URL).json()["count"] == 1
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_api_other")
    assert api_client(stranger).get(URL).json()["count"] == 0
    assert api_client(stranger).get(f"{URL}{expert.pk}/").status_code == 404
    assert api_client(expert.account).get(URL).status_code == 403
    # A committee account adds to its own pool only.
    response = own.post(URL, payload(world, committee=None), format="json")
    assert response.status_code == 201 and response.json()["committee"] == world.committee.pk


def test_leave_needs_reason_then_return_and_patch(api_client, world, fill_pool):
    expert = fill_pool(1)[0]
    client = api_client(world.committee_account)
    assert client.post(f"{URL}{expert.pk}/leave/", {}, format="json").status_code == 400
    response = client.post(f"{URL}{expert.pk}/leave/", {"reason": "退休"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == ExpertStatus.OUT
    assert (
        client.post(f"{URL}{expert.pk}/leave/", {"reason": "x"}, format="json").status_code == 400
    )
    assert client.post(f"{URL}{expert.pk}/return/").json()["status"] == ExpertStatus.IN_POOL
    response = client.patch(f"{URL}{expert.pk}/", {"level": "deputy"}, format="json")
    assert response.status_code == 200 and response.json()["level"] == "deputy"
    assert client.patch(f"{URL}{expert.pk}/", {"level": "x"}, format="json").status_code == 400


def test_export(api_client, world, fill_pool):
    fill_pool(2)
    response = api_client(world.officers["province"]).get(f"{URL}export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- the panel -------------------------------------------------------------------------------


def panel_url(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/panel/"


def test_draw_then_redraw_with_reason(api_client, world, approved_plan, fill_pool):
    fill_pool(16)
    client = api_client(world.committee_account)
    assert client.get(panel_url(approved_plan)).json() == {
        "plan": approved_plan.pk,
        "draw": None,
        "members": [],
    }
    response = client.post(f"{panel_url(approved_plan)}draw/", {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["draw"]["number"] == 1 and isinstance(body["draw"]["seed"], int)
    assert [m["role"] for m in body["members"]].count("member") == 7
    assert len(body["members"]) == 14
    assert client.post(f"{panel_url(approved_plan)}draw/", {}, format="json").status_code == 400
    response = client.post(
        f"{panel_url(approved_plan)}draw/", {"reason": "专家回避"}, format="json"
    )
    assert response.status_code == 201 and response.json()["draw"]["number"] == 2
    # HR officers read the panel; they do not draw.
    officer = api_client(world.officers["province"])
    assert officer.get(panel_url(approved_plan)).json()["draw"]["number"] == 2
    assert officer.post(f"{panel_url(approved_plan)}draw/", {"reason": "x"}).status_code == 403


def test_panel_scope_and_shortfall(api_client, world, approved_plan, fill_pool, make_user):
    fill_pool(3)
    client = api_client(world.committee_account)
    response = client.post(f"{panel_url(approved_plan)}draw/", {}, format="json")
    assert response.status_code == 400
    assert "需要 14 名，仅有 3 名" in response.json()["detail"]
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_api_str")
    assert api_client(stranger).get(panel_url(approved_plan)).status_code == 404
    assert api_client(stranger).post(f"{panel_url(approved_plan)}draw/").status_code == 404
    expert = Expert.objects.first()
    assert api_client(expert.account).get(panel_url(approved_plan)).status_code == 403
    assert api_client(expert.account).post(f"{panel_url(approved_plan)}draw/").status_code == 403
    assert client.get("/api/v1/plans/999999999/panel/").status_code == 404

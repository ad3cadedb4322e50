"""评审专家组 exported (issue 12): the panel page's 导出 and ``GET /plans/<id>/panel/export/``
give the page's rows (draw order, members then alternates) as .xlsx; another committee gets
nothing (the export) or 404 (the API), an expert 403."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.accounts.roles import Role
from zhicheng.experts import selectors, services

pytestmark = pytest.mark.django_db

EXPORT = reverse("tabular:export", args=["plan-panel"])
HEADERS = ("顺序", "身份", "姓名", "专业", "职称级别", "工作单位")


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [r for r in sheet.iter_rows(values_only=True) if any(r)]


def _page_rows(plan) -> list[tuple]:
    members = selectors.panel_members(draw=selectors.panel_current_draw(plan=plan))
    return [
        (
            m.order,
            m.get_role_display(),
            m.expert.person.name,
            m.requirement.specialty.name,
            m.expert.get_level_display(),
            m.expert.employer.name,
        )
        for m in members
    ]


def test_the_panel_export_matches_the_page(client, world, approved_plan, fill_pool, api_client):
    fill_pool(16)
    committee = world.committee_account
    services.panel_draw(actor=committee, plan=approved_plan, reason="")
    expected = _page_rows(approved_plan)
    assert expected and {r[1] for r in expected} == {"评审专家", "备选专家"}

    client.force_login(committee)
    page = client.get(reverse("experts:plan-panel", args=[approved_plan.pk])).content.decode()
    assert EXPORT in page and f"plan={approved_plan.pk}" in page  # posts the page's query
    response = client.post(f"{EXPORT}?plan={approved_plan.pk}")
    assert response.status_code == 200
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0] == HEADERS
    assert rows[1:] == expected
    assert all("身份证" not in str(h) for h in rows[0])  # nothing secret

    api = api_client(committee).get(f"/api/v1/plans/{approved_plan.pk}/panel/export/")
    assert api.status_code == 200
    assert _rows(b"".join(api.streaming_content))[1:] == expected

    # HR officers read the panel, so they export it too.
    client.force_login(world.officers["province"])
    response = client.post(f"{EXPORT}?plan={approved_plan.pk}")
    assert _rows(b"".join(response.streaming_content))[1:] == expected


def test_nobody_else_exports_the_panel(
    client, world, approved_plan, fill_pool, make_user, api_client
):
    expert = fill_pool(16, must_change_password=False)[0]
    services.panel_draw(actor=world.committee_account, plan=approved_plan, reason="")
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_px_other")
    api = f"/api/v1/plans/{approved_plan.pk}/panel/export/"

    client.force_login(stranger)
    response = client.post(f"{EXPORT}?plan={approved_plan.pk}")
    assert response.status_code == 200
    assert _rows(b"".join(response.streaming_content)) == [HEADERS]  # headers only
    assert api_client(stranger).get(api).status_code == 404

    client.force_login(expert.account)
    assert client.post(f"{EXPORT}?plan={approved_plan.pk}").status_code == 403
    assert api_client(expert.account).get(api).status_code == 403


def test_an_export_without_a_plan_is_empty(client, world, approved_plan, fill_pool):
    fill_pool(16)
    services.panel_draw(actor=world.committee_account, plan=approved_plan, reason="")
    client.force_login(world.committee_account)
    response = client.post(EXPORT)
    assert _rows(b"".join(response.streaming_content)) == [HEADERS]

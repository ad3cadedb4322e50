"""通过率上限 exported (issue 12): the page's 导出 and the API ``export/`` give the page's rows as
.xlsx; an account without the list (an expert) gets 403."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.meetings import services

pytestmark = pytest.mark.django_db

API = "/api/v1/pass-rate-caps/"


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [r for r in sheet.iter_rows(values_only=True) if any(r)]


def test_the_caps_export_matches_the_page(client, world, committee_user, api_client):
    officer = world.officers["province"]
    services.pass_rate_cap_set(actor=officer, year=2026, level="senior_full", max_percent=30)
    services.pass_rate_cap_set(actor=officer, year=2025, level="senior_deputy", max_percent=50)

    client.force_login(committee_user)
    page = client.get(reverse("meetings:caps")).content.decode()
    url = reverse("tabular:export", args=["pass-rate-caps"])
    assert url in page and "导出" in page
    response = client.post(url)
    assert response.status_code == 200
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ("年度", "职称级别", "通过率上限（%）")
    # The page's order (newest year first) and values.
    assert [r[:4] for r in rows[1:]] == [
        (2026, "正高级", 30, officer.username),
        (2025, "副高级", 50, officer.username),
    ]

    export = api_client(committee_user).get(f"{API}export/")
    assert export.status_code == 200
    assert _rows(b"".join(export.streaming_content))[1:] == rows[1:]


def test_an_expert_cannot_export_the_caps(meeting_world, client, api_client):
    expert = meeting_world(1).members[0].account
    assert api_client(expert).get(f"{API}export/").status_code == 403
    client.force_login(expert)
    assert client.post(reverse("tabular:export", args=["pass-rate-caps"])).status_code == 403

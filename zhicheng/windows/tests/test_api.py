"""/api/v1/application-windows/: open, change, close early, query, export — scope, permissions,
bad input answered in Chinese with nothing changed."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zhicheng.accounts.roles import Role
from zhicheng.windows.models import ApplicationWindow

from .conftest import minute

URL = "/api/v1/application-windows/"
DAY = dt.timedelta(days=1)


@pytest.fixture
def payload(engineering):
    return {
        "name": "2026年度工程系列副高级申报",
        "year": minute().year,
        "series": engineering.pk,
        "level": "senior_deputy",
        "opens_at": minute(-DAY).isoformat(),
        "closes_at": minute(DAY).isoformat(),
    }


def test_an_officer_opens_changes_and_closes_a_window(api_client, hr_province, payload):
    client = api_client(hr_province)
    created = client.post(URL, payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "open" and body["state_display"] == "进行中"
    assert body["series_name"] == "工程" or body["series_name"]
    patched = client.patch(
        f"{URL}{body['id']}/", {"closes_at": minute(3 * DAY).isoformat()}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    closed = client.post(f"{URL}{body['id']}/close/")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert closed.json()["closed_early_at"]
    listed = client.get(URL, {"state": "closed"})
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"level": "chief"}, "level", ""),
        ({"opens_at": "明天"}, "opens_at", ""),
        ({"closes_at": minute(-2 * DAY).isoformat()}, "detail", "应晚于开始时间"),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_changes(
    api_client, hr_province, payload, change, field, message
):
    answer = api_client(hr_province).post(URL, {**payload, **change}, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert message in str(answer.json()[field])
    assert not ApplicationWindow.objects.exists()


def test_an_overlapping_window_is_refused_with_the_dates(api_client, hr_province, payload):
    client = api_client(hr_province)
    assert client.post(URL, payload, format="json").status_code == 201
    answer = client.post(URL, {**payload, "name": "第二批"}, format="json")
    assert answer.status_code == 400
    assert "时间重叠" in answer.json()["detail"] and "申报时间为" in answer.json()["detail"]


def test_only_hr_officers_open_windows_and_others_see_none(
    api_client, payload, orgs, make_user, applicant, hr_province
):
    employer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit")
    assert api_client(employer).post(URL, payload, format="json").status_code == 403
    assert api_client(applicant).get(URL).status_code == 403
    created = api_client(hr_province).post(URL, payload, format="json").json()
    assert api_client(employer).get(f"{URL}{created['id']}/").status_code == 403


def test_a_city_reads_the_provinces_window_but_cannot_close_it(
    api_client, hr_province, hr_city, payload
):
    created = api_client(hr_province).post(URL, payload, format="json").json()
    city = api_client(hr_city)
    assert city.get(f"{URL}{created['id']}/").status_code == 200
    answer = city.post(f"{URL}{created['id']}/close/")
    assert answer.status_code == 400
    assert "不是本单位" in answer.json()["detail"]
    assert ApplicationWindow.objects.get().closed_early_at is None


def test_unknown_ids_are_404(api_client, hr_province):
    assert api_client(hr_province).get(f"{URL}999999/").status_code == 404


def test_the_export_is_the_query(api_client, hr_province, payload):
    client = api_client(hr_province)
    client.post(URL, payload, format="json")
    answer = client.get(f"{URL}export/", {"year": payload["year"]})
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active.values)
    assert rows[0][:4] == ("批次名称", "申报年度", "职称系列", "职称级别")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [(payload["name"], payload["year"], "副高级")]

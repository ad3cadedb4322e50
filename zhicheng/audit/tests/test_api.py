"""GET /api/v1/operation-logs/: read-only, audit admins only, scoped, same filters as the page."""

import pytest
from rest_framework.test import APIClient

from zhicheng.common.oplog import operation_record

URL = "/api/v1/operation-logs/"


@pytest.fixture
def entries(orgs, hr_city, hr_province):
    return {
        "city": operation_record(
            actor=hr_city,
            operation="export",
            obj=orgs["unit_b"],
            summary="导出机构 12 条",
            remote_addr="203.0.113.2",
        ),
        "province": operation_record(
            actor=hr_province,
            operation="deregister",
            obj=orgs["city_sz"],
            summary="注销苏州",
            remote_addr="198.51.100.3",
        ),
    }


def test_an_audit_admin_lists_entries_with_who_when_where_and_what(
    api_client, auditor, entries, hr_city
):
    response = api_client(auditor).get(URL, {"operation": "export"})
    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["id"] == entries["city"].pk)
    assert row["actor"] == "t_hr_city"
    assert row["remote_addr"] == "203.0.113.2"
    assert row["operation"] == "export"
    assert row["operation_label"] == "导出"
    assert row["content_type"] == "orgs.organization"
    assert row["content_type_label"] == "机构"
    assert row["object_repr"] == "南京江宁软件技术有限公司"
    assert row["summary"] == "导出机构 12 条"
    assert row["timestamp"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"actor": "t_hr_city"}, {"city"}),
        ({"operation": "deregister"}, {"province"}),
        ({"object_repr": "苏州市"}, {"province"}),
        ({"ip": "203.0.113."}, {"city"}),
        ({"content_type": "orgs.organization", "actor": "t_hr"}, {"city", "province"}),
        ({"content_type": "accounts.user", "actor": "t_hr"}, set()),
        ({"content_type": "nope.nothing"}, set()),
    ],
)
def test_filters(api_client, auditor, entries, params, expected):
    response = api_client(auditor).get(URL, {**params, "page_size": 100})
    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    wanted = {entries[k].pk for k in expected}
    assert wanted <= ids
    assert not ({e.pk for e in entries.values()} - wanted) & ids


def test_a_city_audit_admin_sees_only_the_city_subtree(api_client, city_auditor, entries):
    client = api_client(city_auditor)
    ids = {r["id"] for r in client.get(URL, {"page_size": 100}).json()["results"]}
    assert entries["city"].pk in ids
    assert entries["province"].pk not in ids
    assert client.get(f"{URL}{entries['city'].pk}/").status_code == 200
    assert client.get(f"{URL}{entries['province'].pk}/").status_code == 404


def test_officers_without_the_permission_get_403(api_client, hr_city, entries):
    response = api_client(hr_city).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"] == "无权查看操作日志"


def test_anonymous_requests_get_401(entries):
    assert APIClient().get(URL).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_can_write_through_the_api(api_client, auditor, superuser, entries, method):
    for user in (auditor, superuser):
        client = api_client(user)
        target = URL if method == "post" else f"{URL}{entries['city'].pk}/"
        response = getattr(client, method)(target, {"object_repr": "篡改"}, format="json")
        assert response.status_code in (403, 405), (user, method)
    entries["city"].refresh_from_db()
    assert entries["city"].object_repr == "南京江宁软件技术有限公司"


@pytest.mark.parametrize(
    "params",
    [{"date_from": "2026-02-30"}, {"date_to": "yesterday"}, {"operation": "drop"}],
)
def test_bad_filters_are_400_in_chinese(api_client, auditor, entries, params):
    response = api_client(auditor).get(URL, params)
    assert response.status_code == 400
    body = str(response.json())
    assert any("\u4e00" <= c <= "\u9fff" for c in body)


def test_non_numeric_ids_are_404(api_client, auditor):
    assert api_client(auditor).get(f"{URL}abc/").status_code == 404

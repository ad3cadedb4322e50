"""审计管理员 pages: 操作日志 (filters, 详情 with the diff) and 登录日志, scoped and read-only."""

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhicheng.common.oplog import operation_record
from zhicheng.orgs import services as org_services
from zhicheng.orgs.models import Organization

OP_LIST = reverse("audit:operation-log-list")
LOGIN_LIST = reverse("audit:login-log-list")


def rows_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def logged(orgs, hr_city, hr_province):
    """Entries by a city officer and a province officer, and one with no actor."""
    with set_actor(hr_city, remote_addr="203.0.113.1"):
        org_services.organization_update(
            actor=hr_city, organization=orgs["unit_a"], name="南京江宁智能装备集团有限公司"
        )
    city_export = operation_record(
        actor=hr_city,
        operation="export",
        obj=orgs["unit_b"],
        summary="导出机构 12 条",
        remote_addr="203.0.113.2",
    )
    province_export = operation_record(
        actor=hr_province,
        operation="export",
        obj=orgs["city_sz"],
        summary="导出苏州机构",
        remote_addr="198.51.100.3",
    )
    system = operation_record(
        actor=None, operation="import", obj=orgs["province"], summary="系统导入演示数据"
    )
    return {"city_export": city_export, "province_export": province_export, "system": system}


def test_only_audit_admins_open_the_logs(client, auditor, hr_city, orgs):
    client.force_login(hr_city)
    assert client.get(OP_LIST).status_code == 403
    assert client.get(LOGIN_LIST).status_code == 403
    client.force_login(auditor)
    assert client.get(OP_LIST).status_code == 200
    assert client.get(LOGIN_LIST).status_code == 200


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(OP_LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_menu_of_an_audit_admin_links_both_logs(client, auditor):
    client.force_login(auditor)
    html = client.get("/").content.decode()
    assert f'href="{OP_LIST}"' in html
    assert f'href="{LOGIN_LIST}"' in html


def test_the_list_shows_time_actor_ip_operation_type_object_and_summary(client, auditor, logged):
    client.force_login(auditor)
    html = rows_text(client.get(OP_LIST))
    for text in ("时间", "操作人", "IP", "操作", "对象类型", "对象", "变更内容"):
        assert f">{text}</th>" in html
    assert "t_hr_city" in html
    assert "203.0.113.1" in html
    assert "修改" in html and "导出" in html
    assert "机构名称：南京江宁智能装备有限公司 → 南京江宁智能装备集团有限公司" in html
    assert "导出机构 12 条" in html


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"operation": "export"}, ["导出机构 12 条"], ["机构名称："]),
        ({"operation": "update"}, ["机构名称："], ["导出机构 12 条"]),
        ({"actor": "t_hr_city"}, ["导出机构 12 条"], ["导出苏州机构", "系统导入演示数据"]),
        ({"object_repr": "软件技术"}, ["导出机构 12 条"], ["导出苏州机构"]),
        ({"ip": "198.51.100."}, ["导出苏州机构"], ["导出机构 12 条"]),
    ],
)
def test_filters_narrow_the_list(client, auditor, logged, params, present, absent):
    client.force_login(auditor)
    html = rows_text(client.get(OP_LIST, params))
    for text in present:
        assert text in html, (params, text)
    for text in absent:
        assert text not in html, (params, text)


def test_filter_by_object_type(client, auditor, logged, orgs):
    client.force_login(auditor)
    ct = ContentType.objects.get_for_model(Organization)
    html = rows_text(client.get(OP_LIST, {"content_type": ct.pk}))
    assert "导出机构 12 条" in html
    assert "用户" in html  # the option list still offers other types
    html = rows_text(client.get(OP_LIST, {"content_type": ct.pk, "object_repr": "t_hr_city"}))
    assert 'data-testid="empty-state"' in html


def test_filter_by_date_range(client, auditor, logged):
    client.force_login(auditor)
    today = timezone.localdate()
    html = rows_text(client.get(OP_LIST, {"date_from": today, "date_to": today}))
    assert "导出机构 12 条" in html
    yesterday = today - dt.timedelta(days=1)
    html = rows_text(client.get(OP_LIST, {"date_from": yesterday, "date_to": yesterday}))
    assert 'data-testid="empty-state"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"content_type": "abc"},
        {"operation": "drop table"},
        {"page": "abc"},
        {"page": "99999"},
        {"ip": "'; --"},
    ],
)
def test_bad_filters_are_not_a_500(client, auditor, logged, params):
    client.force_login(auditor)
    assert client.get(OP_LIST, params).status_code == 200


def test_the_detail_shows_the_full_diff(client, auditor, logged, orgs):
    client.force_login(auditor)
    entry = LogEntry.objects.get(action=LogEntry.Action.UPDATE, object_pk=str(orgs["unit_a"].pk))
    response = client.get(reverse("audit:operation-log-detail", args=[entry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "变更前" in html and "变更后" in html
    assert (
        "<td>机构名称</td><td>南京江宁智能装备有限公司</td><td>南京江宁智能装备集团有限公司</td>"
        in html
    )
    assert "203.0.113.1" in html
    assert "南京市人力资源和社会保障局" in html  # the actor's organization


def test_a_city_audit_admin_sees_only_the_city_subtree(client, city_auditor, logged):
    client.force_login(city_auditor)
    html = rows_text(client.get(OP_LIST))
    assert "导出机构 12 条" in html
    assert "导出苏州机构" not in html
    assert "系统导入演示数据" not in html
    for key in ("province_export", "system"):
        url = reverse("audit:operation-log-detail", args=[logged[key].pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("audit:operation-log-detail", args=[999999])).status_code == 404


def test_the_province_audit_admin_also_sees_system_entries(client, auditor, logged):
    client.force_login(auditor)
    html = rows_text(client.get(OP_LIST))
    assert "导出苏州机构" in html
    assert "系统导入演示数据" in html
    url = reverse("audit:operation-log-detail", args=[logged["system"].pk])
    assert client.get(url).status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(client, auditor, orgs, hr_city):
    client.force_login(auditor)

    # Only this test's rows on the page (their own address): what else the database holds
    # changes which rows a page shows, and so how many related names it looks up.
    address = "198.51.100.77"

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            answer = client.get(OP_LIST, {"page_size": 100, "ip": address})
            assert answer.status_code == 200
        return len(ctx.captured_queries)

    def record(obj, n: int) -> None:
        operation_record(
            actor=hr_city, operation="export", obj=obj, summary=f"{n}", remote_addr=address
        )

    for n in range(3):
        record(orgs["unit_c"], n)
    count_queries()  # the first request caches the auditor's roles and permissions
    few = count_queries()
    for n in range(30):
        record(orgs["unit_d"], n)
    assert count_queries() == few


def test_the_pages_offer_no_way_to_change_the_log(client, auditor, logged):
    client.force_login(auditor)
    html = rows_text(client.get(OP_LIST))
    assert "新增" not in html.split("<tbody>")[0].split("list-toolbar")[1]
    assert 'method="post"' not in html.split('id="list-results"')[1]
    detail = reverse("audit:operation-log-detail", args=[logged["city_export"].pk])
    assert client.post(detail).status_code == 405


# --- Login log ----------------------------------------------------------------------------------


@pytest.fixture
def logins(hr_city, hr_province):
    now = timezone.now()
    AccessLog.objects.create(
        username="t_hr_city", ip_address="203.0.113.31", attempt_time=now, user_agent="Firefox",
        path_info="/login/",
    )  # fmt: skip
    AccessFailureLog.objects.create(
        username="t_hr_city", ip_address="203.0.113.32", attempt_time=now, user_agent="Firefox",
        path_info="/api/v1/auth/token/",
    )  # fmt: skip
    AccessLog.objects.create(
        username="t_hr_province", ip_address="198.51.100.33", attempt_time=now, user_agent="x",
        path_info="/login/",
    )  # fmt: skip
    AccessFailureLog.objects.create(
        username="no_such_user", ip_address="192.0.2.34", attempt_time=now, user_agent="x",
        path_info="/login/",
    )  # fmt: skip


def test_the_login_log_lists_successes_and_failures(client, auditor, logins):
    client.force_login(auditor)
    html = rows_text(client.get(LOGIN_LIST))
    for text in ("203.0.113.31", "203.0.113.32", "198.51.100.33", "192.0.2.34"):
        assert text in html
    assert "成功" in html and "失败" in html
    assert "接口" in html and "网页" in html


def test_the_login_log_filters_by_result_username_and_ip(client, auditor, logins):
    client.force_login(auditor)
    html = rows_text(client.get(LOGIN_LIST, {"result": "failure"}))
    assert "203.0.113.32" in html and "192.0.2.34" in html
    assert "203.0.113.31" not in html
    html = rows_text(client.get(LOGIN_LIST, {"username": "province"}))
    assert "198.51.100.33" in html and "203.0.113.31" not in html
    html = rows_text(client.get(LOGIN_LIST, {"ip": "203.0.113.3"}))
    assert "203.0.113.31" in html and "198.51.100.33" not in html
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    html = rows_text(client.get(LOGIN_LIST, {"date_to": yesterday}))
    assert 'data-testid="empty-state"' in html


def test_a_city_audit_admin_sees_city_logins_and_unknown_usernames_only(
    client, city_auditor, logins
):
    client.force_login(city_auditor)
    html = rows_text(client.get(LOGIN_LIST))
    assert "203.0.113.31" in html and "203.0.113.32" in html
    assert "192.0.2.34" in html  # a failure under a username nobody has
    assert "198.51.100.33" not in html  # a province officer's login


def test_real_logins_show_up_in_the_login_log(client, auditor, hr_city):
    from zhicheng.conftest import PASSWORD

    client.post("/login/", {"username": "t_hr_city", "password": "bad"}, REMOTE_ADDR="192.0.2.50")
    client.post(
        "/login/", {"username": "t_hr_city", "password": PASSWORD}, REMOTE_ADDR="192.0.2.51"
    )
    client.post("/logout/")
    client.force_login(auditor)
    html = rows_text(client.get(LOGIN_LIST, {"username": "t_hr_city"}))
    assert "192.0.2.50" in html and "192.0.2.51" in html


def test_empty_filters_are_not_reported_as_missing(client, auditor, logged):
    client.force_login(auditor)
    for url in (OP_LIST, LOGIN_LIST):
        html = rows_text(client.get(url, {"ip": "203"}))
        assert "必填" not in html
        assert "is-invalid" not in html

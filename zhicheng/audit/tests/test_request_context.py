"""Every operation-log entry written while serving a request knows who and from where: for
session (page) requests and token API requests alike, with an IP nobody can forge."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessFailureLog
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from zhicheng.audit.middleware import current_request
from zhicheng.common.client_ip import client_ip
from zhicheng.common.oplog import operation_record
from zhicheng.conftest import PASSWORD
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization, OrgType


def entries_for(obj, **filters):
    ct = ContentType.objects.get_for_model(obj.__class__)
    return LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk), **filters)


def token_client(username: str, ip: str = "127.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=ip)
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_a_page_action_records_the_session_user_and_ip(client, hr_city, orgs):
    client.force_login(hr_city)
    target = orgs["unit_k"]
    response = client.post(
        reverse("orgs:organization-deregister", args=[target.pk]), REMOTE_ADDR="203.0.113.10"
    )
    assert response.status_code == 302
    business = entries_for(target, action=LogEntry.Action.ACCESS).get()
    assert business.additional_data["operation"] == "deregister"
    assert business.actor == hr_city
    assert business.remote_addr == "203.0.113.10"
    change = entries_for(target, action=LogEntry.Action.UPDATE).get()
    assert change.actor == hr_city
    assert change.remote_addr == "203.0.113.10"
    assert change.changes_dict["status"] == ["active", "deregistered"]


def test_a_token_api_action_records_the_token_user_and_ip(hr_city, orgs):
    client = token_client("t_hr_city", ip="198.51.100.40")
    response = client.post(
        "/api/v1/organizations/",
        {
            "parent": orgs["dept_jn_edu"].pk,
            "name": "南京市江宁区秣陵中学",
            "uscc": demo_uscc("12", "320115", "466011234"),
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = Organization.objects.get(pk=response.json()["id"])
    entry = entries_for(created, action=LogEntry.Action.CREATE).get()
    assert entry.actor == hr_city
    assert entry.actor_email == hr_city.email or entry.actor_email is None
    assert entry.remote_addr == "198.51.100.40"

    response = client.post(f"/api/v1/organizations/{created.pk}/deregister/")
    assert response.status_code == 200
    for entry in entries_for(created).exclude(action=LogEntry.Action.CREATE):
        assert entry.actor == hr_city
        assert entry.remote_addr == "198.51.100.40"


def test_a_forged_x_forwarded_for_is_ignored_without_trusted_proxies(hr_city, orgs):
    client = token_client("t_hr_city", ip="198.51.100.41")
    client.post(
        f"/api/v1/organizations/{orgs['unit_k'].pk}/deregister/",
        HTTP_X_FORWARDED_FOR="10.66.66.66",
    )
    entry = entries_for(orgs["unit_k"], action=LogEntry.Action.ACCESS).get()
    assert entry.remote_addr == "198.51.100.41"


@override_settings(ZHICHENG_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_address_it_saw_is_recorded(client, hr_city, orgs):
    client.force_login(hr_city)
    client.post(
        reverse("orgs:organization-deregister", args=[orgs["unit_k"].pk]),
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.77",  # forged by the client, added by proxy
    )
    entry = entries_for(orgs["unit_k"], action=LogEntry.Action.ACCESS).get()
    assert entry.remote_addr == "203.0.113.77"


@override_settings(ZHICHENG_PROXY_COUNT=1)
def test_the_login_log_uses_the_same_client_address(client, hr_city):
    client.post(
        "/login/",
        {"username": "t_hr_city", "password": "wrong-password"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.78",
    )
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.78"


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "192.0.2.1", "", "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),
        (1, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "10.0.0.3", "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies
        (1, "10.0.0.2", "203.0.113.5:51234", "203.0.113.5"),
        (1, "10.0.0.2", "[2001:db8::7]:443", "2001:db8::7"),
        (1, "10.0.0.2", "2001:db8::8", "2001:db8::8"),
        (1, "10.0.0.2", "not-an-ip", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (0, "garbage", "", None),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.ZHICHENG_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_an_explicit_actor_and_address_are_kept(client, hr_city, hr_province, orgs):
    entry = operation_record(
        actor=hr_province, operation="export", obj=orgs["province"], remote_addr="192.0.2.9"
    )
    entry.refresh_from_db()
    assert entry.actor == hr_province
    assert entry.remote_addr == "192.0.2.9"


def test_outside_a_request_entries_have_no_actor_or_address(orgs):
    assert current_request() is None
    entry = operation_record(actor=None, operation="export", obj=orgs["province"])
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.remote_addr is None


def test_the_request_context_ends_with_the_request(client, hr_city):
    client.force_login(hr_city)
    client.get("/")
    assert current_request() is None


def test_services_can_read_the_client_address_to_hand_to_a_job(settings):
    from django.http import HttpResponse

    from zhicheng.audit.middleware import AuditContextMiddleware, current_client_ip

    middleware = AuditContextMiddleware(lambda request: HttpResponse(current_client_ip() or ""))
    response = middleware(RequestFactory().get("/", REMOTE_ADDR="192.0.2.77"))
    assert response.content.decode() == "192.0.2.77"
    assert current_client_ip() is None

"""Every account's actions are auditable (issue 9, point 4): self-registered applicants have no
organization, so their entries lay outside every subtree and no audit admin saw them. The
province's audit admin does now; nobody else's scope grows."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessLog
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from zhicheng.accounts.roles import Role
from zhicheng.audit import selectors
from zhicheng.common.validators import mask_id_number
from zhicheng.persons.services import applicant_register

API = "/api/v1/operation-logs/"
OP_LIST = reverse("audit:operation-log-list")
LOGIN_LIST = reverse("audit:login-log-list")
NUMBER = "11010519491231002X"
PASSWORD = "Shenbao@2026"


@pytest.fixture
def registration(db):
    """A self-registered applicant (no organization) and the log entry of the registration."""
    person = applicant_register(
        name="王芳", id_number=NUMBER, mobile="13851000009", password=PASSWORD
    )
    assert person.user.organization_id is None
    entry = LogEntry.objects.get(actor=person.user, additional_data__operation="register")
    return person.user, entry


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_province_audit_admin_lists_and_opens_a_self_registered_applicants_entries(
    auditor, registration
):
    applicant, entry = registration
    client = api(auditor)
    ids = {r["id"] for r in client.get(API, {"page_size": 100}).json()["results"]}
    assert entry.pk in ids
    response = client.get(f"{API}{entry.pk}/")
    assert response.status_code == 200
    assert response.json()["operation"] == "register"


def test_the_province_audit_admin_sees_them_on_the_pages_too(client, auditor, registration):
    _, entry = registration
    client.force_login(auditor)
    html = client.get(OP_LIST, {"operation": "register"}).content.decode()
    assert "申报人注册 王芳" in html
    detail = client.get(reverse("audit:operation-log-detail", args=[entry.pk]))
    assert detail.status_code == 200


def test_a_city_audit_admin_still_sees_only_the_city_subtree(city_auditor, registration):
    _, entry = registration
    client = api(city_auditor)
    ids = {r["id"] for r in client.get(API, {"page_size": 100}).json()["results"]}
    assert entry.pk not in ids
    assert client.get(f"{API}{entry.pk}/").status_code == 404


def test_a_province_officer_without_the_audit_role_gains_nothing(hr_province, registration):
    _, entry = registration
    assert not selectors.operation_log_list(user=hr_province).filter(pk=entry.pk).exists()
    assert api(hr_province).get(f"{API}{entry.pk}/").status_code == 403


def test_entries_without_an_actor_stay_with_the_province_audit_admin(
    auditor, city_auditor, hr_province, orgs
):
    from zhicheng.common.oplog import operation_record

    entry = operation_record(actor=None, operation="import", obj=orgs["province"], summary="系统")
    assert api(auditor).get(f"{API}{entry.pk}/").status_code == 200
    assert api(city_auditor).get(f"{API}{entry.pk}/").status_code == 404
    assert not selectors.operation_log_list(user=hr_province).filter(pk=entry.pk).exists()


def test_the_login_log_shows_such_an_applicants_logins_to_the_province_audit_admin(
    orgs, make_user, registration
):
    auditor = make_user(orgs["province"], Role.AUDIT_ADMIN, username="t_login_auditor")
    city_auditor = make_user(orgs["city_nj"], Role.AUDIT_ADMIN, username="t_city_login_auditor")
    response = Client().post("/login/", {"username": NUMBER.lower(), "password": PASSWORD})
    assert response.status_code == 302
    assert AccessLog.objects.filter(username=NUMBER).exists()

    def listed(user) -> bool:
        client = Client()
        client.force_login(user)
        html = client.get(LOGIN_LIST, {"result": "success"}).content.decode()
        return mask_id_number(NUMBER) in html

    assert listed(auditor)
    assert not listed(city_auditor)

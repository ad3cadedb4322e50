"""身份证号 in the logs: applicants' user names are their 身份证号, and persons' 证件号码 appear in
data diffs. The audit admin sees them masked (region and last four) on every surface — list,
详情, API, login log — unless they hold ``accounts.view_full_id_number``."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.common.oplog import operation_record
from zhicheng.persons.models import Person
from zhicheng.persons.services import person_get_or_create

NUMBER = "11010519491231002X"
MASKED = "110105********002X"
PERSON_NUMBER = "32011519880512001X"
PERSON_MASKED = "320115********001X"

OP_LIST = reverse("audit:operation-log-list")
LOGIN_LIST = reverse("audit:login-log-list")


def old_style_copy(entry: LogEntry, **changes) -> LogEntry:
    """The entry as the log wrote it before numbers were masked (the log is append-only)."""
    return LogEntry.objects.create(
        content_type=entry.content_type,
        object_pk=entry.object_pk,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        action=entry.action,
        changes={**entry.changes_dict, **changes},
        actor=entry.actor,
    )


@pytest.fixture
def id_applicant(orgs, make_user):
    """An applicant whose user name is their 身份证号 (no real name on the account)."""
    return make_user(orgs["unit_a"], Role.APPLICANT, username=NUMBER)


@pytest.fixture
def acted(id_applicant, orgs):
    return operation_record(
        actor=id_applicant,
        operation="export",
        obj=orgs["unit_a"],
        summary=f"导出申报材料（申报人 {NUMBER}）",
    )


@pytest.fixture
def person_entry(hr_city, orgs):
    """A 人员 created by an officer; its diff as written before the log masked 证件号码."""
    with set_actor(hr_city):
        person, _ = person_get_or_create(
            actor=hr_city, id_number=PERSON_NUMBER, name="赵六", organization=orgs["unit_a"]
        )
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    return old_style_copy(entry, id_number=["None", PERSON_NUMBER])


@pytest.fixture
def full_id_auditor(orgs, make_user):
    return make_user(orgs["province"], Role.AUDIT_ADMIN, Role.HR_OFFICER, username="t_aud_hr")


def test_the_log_stores_a_persons_number_masked(hr_city, orgs):
    with set_actor(hr_city):
        person, _ = person_get_or_create(
            actor=hr_city, id_number=PERSON_NUMBER, name="赵六", organization=orgs["unit_a"]
        )
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.changes_dict["id_number"][1] == PERSON_MASKED
    assert PERSON_NUMBER not in str(entry.changes)


def test_the_log_stores_a_user_name_that_is_an_id_number_masked(id_applicant):
    entry = LogEntry.objects.get_for_object(id_applicant).get(action=LogEntry.Action.CREATE)
    assert entry.changes_dict["username"][1] == MASKED
    assert NUMBER not in str(entry.changes)


def test_other_user_names_stay_readable_in_the_log(hr_city):
    entry = LogEntry.objects.get_for_object(hr_city).get(action=LogEntry.Action.CREATE)
    assert entry.changes_dict["username"][1] == "t_hr_city"


def test_the_operation_list_masks_actor_object_and_summary(client, auditor, acted, id_applicant):
    client.force_login(auditor)
    html = client.get(OP_LIST).content.decode()
    assert NUMBER not in html
    assert f"导出申报材料（申报人 {MASKED}）" in html
    assert MASKED in html  # the actor column and the user's own create entry


def test_the_operation_list_masks_old_diffs(client, auditor, person_entry):
    correction = LogEntry.objects.create(
        content_type=person_entry.content_type,
        object_pk=person_entry.object_pk,
        object_repr=person_entry.object_repr,
        action=LogEntry.Action.UPDATE,
        changes={"id_number": [PERSON_NUMBER, "11010519491231002X"]},
        actor=person_entry.actor,
    )
    client.force_login(auditor)
    html = client.get(OP_LIST, {"content_type": correction.content_type_id}).content.decode()
    assert PERSON_NUMBER not in html and NUMBER not in html
    assert f"证件号码：{PERSON_MASKED} → {MASKED}" in html


def test_the_operation_detail_masks_actor_and_diff(client, auditor, acted, person_entry):
    client.force_login(auditor)
    html = client.get(reverse("audit:operation-log-detail", args=[acted.pk])).content.decode()
    assert NUMBER not in html
    assert MASKED in html
    html = client.get(
        reverse("audit:operation-log-detail", args=[person_entry.pk])
    ).content.decode()
    assert PERSON_NUMBER not in html
    assert PERSON_MASKED in html


def test_the_operation_detail_of_a_user_masks_its_name(client, auditor, id_applicant):
    entry = LogEntry.objects.get_for_object(id_applicant).get(action=LogEntry.Action.CREATE)
    entry = old_style_copy(entry, username=["None", NUMBER])
    client.force_login(auditor)
    html = client.get(reverse("audit:operation-log-detail", args=[entry.pk])).content.decode()
    assert NUMBER not in html
    assert MASKED in html


def test_the_api_masks_actor_object_summary_and_changes(
    api_client, auditor, acted, person_entry, id_applicant
):
    response = api_client(auditor).get("/api/v1/operation-logs/", {"page_size": 100})
    assert response.status_code == 200
    body = response.content.decode()
    assert NUMBER not in body and PERSON_NUMBER not in body
    rows = response.json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[acted.pk]["actor"] == MASKED
    assert by_id[acted.pk]["summary"] == f"导出申报材料（申报人 {MASKED}）"
    changes = {c["field"]: c["new"] for c in by_id[person_entry.pk]["changes"]}
    assert changes["证件号码"] == PERSON_MASKED
    detail = api_client(auditor).get(f"/api/v1/operation-logs/{acted.pk}/").json()
    assert detail["actor"] == MASKED


def test_the_login_log_masks_user_names(client, auditor, id_applicant):
    AccessLog.objects.create(username=NUMBER, ip_address="203.0.113.9", user_agent="t")
    AccessFailureLog.objects.create(
        username="110105194912310038", ip_address="203.0.113.9", user_agent="t", locked_out=False
    )
    client.force_login(auditor)
    html = client.get(LOGIN_LIST).content.decode()
    assert NUMBER not in html and "110105194912310038" not in html
    assert MASKED in html and "110105********0038" in html


def test_a_partial_number_does_not_find_a_masked_user_name(client, auditor, acted):
    """Searching digit by digit would reveal the masked part; only the full number matches."""
    client.force_login(auditor)
    html = client.get(OP_LIST, {"actor": NUMBER[:12]}).content.decode()
    assert "导出申报材料" not in html
    html = client.get(OP_LIST, {"actor": NUMBER}).content.decode()
    assert "导出申报材料" in html
    AccessLog.objects.create(username=NUMBER, ip_address="203.0.113.9", user_agent="t")
    html = client.get(LOGIN_LIST, {"username": NUMBER[:12]}).content.decode()
    assert "203.0.113.9" not in html
    html = client.get(LOGIN_LIST, {"username": NUMBER.lower()}).content.decode()
    assert "203.0.113.9" in html


def test_with_the_permission_the_numbers_are_shown_in_full(
    client, api_client, full_id_auditor, acted, person_entry
):
    client.force_login(full_id_auditor)
    html = client.get(OP_LIST).content.decode()
    assert NUMBER not in html  # a list masks whatever the rights; 详情 shows it whole
    html = client.get(
        reverse("audit:operation-log-detail", args=[person_entry.pk])
    ).content.decode()
    assert PERSON_NUMBER in html
    body = api_client(full_id_auditor).get("/api/v1/operation-logs/").content.decode()
    assert NUMBER in body
    assert client.get(OP_LIST, {"actor": NUMBER[:12]}).content.decode().count("导出申报材料")


def test_the_person_content_type_is_offered(person_entry):
    assert ContentType.objects.get_for_model(Person) == person_entry.content_type

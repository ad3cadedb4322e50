"""The operation log is append-only for everyone, administrators included: the model layer,
the Django admin and the database itself refuse to change or delete an entry."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zhicheng.audit.signals import APPEND_ONLY_MESSAGE, AuditLogAppendOnly
from zhicheng.common.oplog import operation_record


@pytest.fixture
def entry(orgs, hr_city):
    return operation_record(
        actor=hr_city, operation="export", obj=orgs["unit_a"], summary="导出机构 1 条"
    )


def test_changing_an_entry_is_refused(entry):
    entry.object_repr = "篡改"
    with pytest.raises(AuditLogAppendOnly, match="只能追加"):
        entry.save()
    entry.refresh_from_db()
    assert entry.object_repr == "南京江宁智能装备有限公司"


def test_saving_a_new_instance_over_an_existing_id_is_refused(entry):
    forged = LogEntry(
        pk=entry.pk,
        content_type=entry.content_type,
        object_pk=entry.object_pk,
        object_repr="伪造",
        action=entry.action,
    )
    with pytest.raises(AuditLogAppendOnly):
        forged.save()


def test_deleting_an_entry_is_refused(entry):
    # Django deletes inside atomic(savepoint=False): a refusal spoils the enclosing
    # transaction, so each attempt gets its own savepoint here.
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_a_bulk_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="篡改")
    entry.refresh_from_db()
    assert entry.object_repr == "南京江宁智能装备有限公司"


def test_the_database_refuses_raw_sql_updates(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET remote_addr = NULL WHERE id = %s", [entry.pk])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps no DELETE trigger: Django flushes SQLite test databases with DELETE",
)
def test_on_postgresql_the_database_refuses_raw_sql_deletes(entry):
    with (
        pytest.raises(DatabaseError, match="只能追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_new_entries_can_still_be_appended(entry, orgs, hr_city):
    before = LogEntry.objects.count()
    operation_record(actor=hr_city, operation="import", obj=orgs["unit_b"])
    assert LogEntry.objects.count() == before + 1


def test_a_user_who_has_acted_cannot_be_deleted_only_deactivated(entry, hr_city):
    with pytest.raises((DatabaseError, AuditLogAppendOnly)), transaction.atomic():
        hr_city.delete()
    entry.refresh_from_db()
    assert entry.actor_id == hr_city.pk


# --- Django admin ----------------------------------------------------------------------------


def test_an_admin_can_read_but_not_change_an_entry(client, superuser, entry):
    client.force_login(superuser)
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    url = f"/admin/auditlog/logentry/{entry.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(url, {"object_repr": "篡改", "action": 1})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "南京江宁智能装备有限公司"


def test_an_admin_cannot_delete_an_entry(client, superuser, entry):
    client.force_login(superuser)
    url = f"/admin/auditlog/logentry/{entry.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/auditlog/logentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_an_admin_cannot_add_an_entry(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403


def test_an_admin_cannot_delete_login_records(client, superuser):
    now = timezone.now()
    success = AccessLog.objects.create(
        username="t_hr_city", ip_address="192.0.2.1", attempt_time=now, user_agent="x"
    )
    failure = AccessFailureLog.objects.create(
        username="t_hr_city", ip_address="192.0.2.1", attempt_time=now, user_agent="x"
    )
    client.force_login(superuser)
    assert client.post(f"/admin/axes/accesslog/{success.pk}/delete/").status_code == 403
    assert client.post(f"/admin/axes/accessfailurelog/{failure.pk}/delete/").status_code == 403
    assert AccessLog.objects.filter(pk=success.pk).exists()
    assert AccessFailureLog.objects.filter(pk=failure.pk).exists()


def test_the_refusal_message_is_chinese():
    assert "任何人" in APPEND_ONLY_MESSAGE


# --- Login logs (axes) ------------------------------------------------------------------------


@pytest.fixture
def login(db):
    return AccessLog.objects.create(
        username="t_hr_city",
        ip_address="192.0.2.1",
        attempt_time=timezone.now(),
        user_agent="x",
        session_hash="h",
    )


def test_the_database_lets_axes_record_the_logout_once(login):
    AccessLog.objects.filter(pk=login.pk).update(logout_time=timezone.now())
    login.refresh_from_db()
    assert login.logout_time is not None
    with pytest.raises(DatabaseError, match="登录日志"), transaction.atomic():
        AccessLog.objects.filter(pk=login.pk).update(logout_time=timezone.now())


def test_the_database_refuses_rewriting_a_login_record(login):
    with pytest.raises(DatabaseError, match="登录日志"), transaction.atomic():
        AccessLog.objects.filter(pk=login.pk).update(ip_address="203.0.113.9")
    with pytest.raises(DatabaseError, match="登录日志"), transaction.atomic():
        AccessLog.objects.filter(pk=login.pk).update(
            logout_time=timezone.now(), username="someone_else"
        )
    failure = AccessFailureLog.objects.create(
        username="t_hr_city", ip_address="192.0.2.1", attempt_time=timezone.now(), user_agent="x"
    )
    with pytest.raises(DatabaseError, match="登录日志"), transaction.atomic():
        AccessFailureLog.objects.filter(pk=failure.pk).update(locked_out=True)
    login.refresh_from_db()
    assert login.ip_address == "192.0.2.1" and login.logout_time is None


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps no DELETE trigger: Django flushes SQLite test databases with DELETE",
)
def test_on_postgresql_login_records_are_kept_six_months(login):
    # attempt_time is auto_now_add: a record of 200 days ago can only be written in SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO axes_accesslog (user_agent, ip_address, username, http_accept,"
            " path_info, session_hash, attempt_time)"
            " VALUES ('x', '192.0.2.1', 't_hr_city', '', '', '', %s)"
            " RETURNING id",
            [timezone.now() - dt.timedelta(days=200)],
        )
        old_id = cursor.fetchone()[0]
    with pytest.raises(DatabaseError, match="6 个月"), transaction.atomic():
        AccessLog.objects.filter(pk=login.pk).delete()
    assert AccessLog.objects.filter(pk=login.pk).exists()
    AccessLog.objects.filter(pk=old_id).delete()  # past the retention period: may go
    assert not AccessLog.objects.filter(pk=old_id).exists()

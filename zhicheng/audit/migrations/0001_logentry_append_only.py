"""Append-only operation log, enforced by the database.

PostgreSQL: a row trigger refuses UPDATE and DELETE on ``auditlog_logentry`` (TRUNCATE, which
the test runner uses to flush, fires no row trigger). SQLite: a BEFORE UPDATE trigger only —
Django flushes SQLite test databases with DELETE, so a DELETE trigger would break the test
runner; deletes are refused by the ``pre_delete`` receiver instead.
"""

from django.db import migrations

MESSAGE = "操作日志只能追加，不能修改或删除"

PG_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION zhicheng_logentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS zhicheng_logentry_append_only ON auditlog_logentry",
    """CREATE TRIGGER zhicheng_logentry_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION zhicheng_logentry_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS zhicheng_logentry_append_only ON auditlog_logentry",
    "DROP FUNCTION IF EXISTS zhicheng_logentry_append_only()",
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS zhicheng_logentry_no_update
BEFORE UPDATE ON auditlog_logentry
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END"""
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS zhicheng_logentry_no_update"]
STATEMENTS = {"postgresql": (PG_FORWARD, PG_BACKWARD), "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD)}


def forward(apps, schema_editor):
    forward_sql, _ = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in forward_sql:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    _, backward_sql = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in backward_sql:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

"""Append-only login logs (axes' 登录日志: successful and failed logins), kept ≥ 6 months.

PostgreSQL: row triggers on ``axes_accesslog`` and ``axes_accessfailurelog``. An UPDATE is
refused except the one axes itself makes at logout (``logout_time`` filled in once, nothing else
changed); a DELETE is refused for a row younger than the retention period (180 days), so
``axes_reset_logs --age 180`` and older still work. SQLite: the UPDATE rule only — Django flushes
SQLite test databases with DELETE (see 0001).
"""

from django.db import migrations

MESSAGE = "登录日志只能追加，保存不少于 6 个月，不能修改或删除"
RETENTION = "180 days"

COLUMNS = ("id", "user_agent", "ip_address", "username", "http_accept", "path_info")
UNCHANGED = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in COLUMNS)

PG_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION zhicheng_login_log_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.attempt_time < now() - interval '{RETENTION}' THEN
                RETURN OLD;
            END IF;
        ELSIF TG_TABLE_NAME = 'axes_accesslog' THEN
            -- Nested: PL/pgSQL may evaluate OLD.logout_time before the table check.
            IF OLD.logout_time IS NULL AND NEW.logout_time IS NOT NULL
                AND {UNCHANGED}
                AND NEW.attempt_time IS NOT DISTINCT FROM OLD.attempt_time
                AND NEW.session_hash IS NOT DISTINCT FROM OLD.session_hash THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql""",
]
SQLITE_FORWARD = []
PG_BACKWARD = []
SQLITE_BACKWARD = []
for table in ("axes_accesslog", "axes_accessfailurelog"):
    trigger = f"zhicheng_{table}_append_only"
    PG_FORWARD += [
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
        f"""CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION zhicheng_login_log_append_only()""",
    ]
    PG_BACKWARD.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    SQLITE_BACKWARD.append(f"DROP TRIGGER IF EXISTS {trigger}")
PG_BACKWARD.append("DROP FUNCTION IF EXISTS zhicheng_login_log_append_only()")

SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*COLUMNS, "attempt_time"))
SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS zhicheng_axes_accesslog_append_only
BEFORE UPDATE ON axes_accesslog
WHEN NOT (OLD.logout_time IS NULL AND NEW.logout_time IS NOT NULL AND {SQLITE_UNCHANGED}
          AND NEW.session_hash IS OLD.session_hash)
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END""",
    f"""CREATE TRIGGER IF NOT EXISTS zhicheng_axes_accessfailurelog_append_only
BEFORE UPDATE ON axes_accessfailurelog
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END""",
]
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
    dependencies = [("audit", "0001_logentry_append_only"), ("axes", "0010_accessattemptexpiration")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

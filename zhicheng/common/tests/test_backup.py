"""``manage.py backup`` / ``restore`` as an operator runs them: separate processes, the demo data
backed up from one database and restored into another, empty one, on the engine the suite runs
on (SQLite, or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from zhicheng.common.backup import sha256_of

ROOT = Path(settings.BASE_DIR)
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _pg_admin_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/postgres"


class Site:
    """One installation: its own var directory and database."""

    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.database = f"zc_backup_{uuid.uuid4().hex[:10]}" if ON_POSTGRESQL else None
        if self.database:
            with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["ZHICHENG_VAR_DIR"] = str(self.var_dir)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if self.database:
            env["DATABASE_URL"] = _pg_admin_url().rsplit("/", 1)[0] + "/" + self.database
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result

    def python(self, code: str) -> str:
        """What ``code`` printed last (the shell prints its own lines first)."""
        return self.manage("shell", "-c", code).stdout.strip().splitlines()[-1]

    def drop(self) -> None:
        if self.database:
            with psycopg.connect(_pg_admin_url(), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


COUNT_ROWS = """
import json
from django.db import connection
q = connection.ops.quote_name
with connection.cursor() as c:
    counts = {}
    for t in connection.introspection.table_names():
        c.execute(f"SELECT COUNT(*) FROM {q(t)}")
        counts[t] = c.fetchone()[0]
print(json.dumps(counts))
"""


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    base = tmp_path_factory.mktemp("backup")
    source = Site(base / "source")
    try:
        source.manage("migrate", "--noinput", "-v0")
        source.manage("load_demo")
        printed = source.manage("backup", str(base / "backups")).stdout
        backup = Path(printed.strip().splitlines()[-1])
        yield base, backup, json.loads(source.python(COUNT_ROWS))
    finally:
        source.drop()


def test_demo_data_restores_elsewhere_with_the_same_rows_and_files(demo_backup):
    base, backup, source_counts = demo_backup
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == ("postgresql" if ON_POSTGRESQL else "sqlite")
    assert manifest["missing_files"] == []
    stored = [entry for entry in manifest["files"] if entry["path"].startswith("private/")]
    assert any(e["path"].endswith(".pdf") for e in stored)  # the demo's signed certificates

    target = Site(base / f"target-{uuid.uuid4().hex[:6]}")
    try:
        printed = target.manage("restore", str(backup)).stdout
        assert "与备份一致" in printed
        restored_counts = json.loads(target.python(COUNT_ROWS))
        for table, rows in manifest["tables"].items():
            assert restored_counts[table] == rows == source_counts[table], table
        assert sum(manifest["tables"].values()) > 1000
        media = target.var_dir / "media"
        for entry in manifest["files"]:
            assert sha256_of(media / entry["path"]) == entry["sha256"], entry["path"]
        # Sequences came along: a new row does not collide with a restored one.
        created = target.python(
            "from django.contrib.auth.models import Group;"
            "print(Group.objects.create(name='恢复后新建').pk > max(Group.objects.exclude("
            "name='恢复后新建').values_list('pk', flat=True), default=0))"
        )
        assert created.strip() == "True"
    finally:
        target.drop()


def test_a_changed_byte_is_refused_before_anything_is_written(demo_backup, tmp_path):
    _, backup, _ = demo_backup
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(backup), str(damaged)], check=True)
    manifest = json.loads((damaged / "manifest.json").read_text())
    victim = damaged / "files" / manifest["files"][0]["path"]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))

    target = Site(tmp_path / "target")
    try:
        result = target.manage("restore", str(damaged), check=False)
        assert result.returncode != 0
        assert "校验失败" in result.stderr
        assert json.loads(target.python(COUNT_ROWS)) == {}  # the database stayed empty
        assert not (target.var_dir / "media" / "private").exists()
    finally:
        target.drop()


def test_a_database_with_tables_is_not_overwritten(demo_backup, tmp_path):
    _, backup, _ = demo_backup
    target = Site(tmp_path / "target")
    try:
        target.manage("migrate", "--noinput", "-v0")
        result = target.manage("restore", str(backup), check=False)
        assert result.returncode != 0
        assert "不是空库" in result.stderr
        counts = json.loads(target.python(COUNT_ROWS))
        assert counts["certificates_certificate"] == 0
    finally:
        target.drop()

"""Backups that restore: ``manage.py backup DIR`` and ``manage.py restore DIR/<backup>``.

A backup is a directory holding the database (PostgreSQL: ``pg_dump`` custom format; SQLite:
the online backup API), the uploaded files and certificates (``MEDIA_ROOT``), and
``manifest.json``: the size and SHA-256 of every file, and the row count of every table.

Consistent on a running system: on PostgreSQL the row counts are read in one REPEATABLE READ
transaction whose snapshot ``pg_dump --snapshot`` dumps, so the counts describe exactly the
dump; on SQLite they are read from the backup copy itself. Files are copied after the database:
a file is written before the row naming it commits, so every file a row of the backup names is
in the copy (the manifest lists any that is not — a file deleted meanwhile).

A restore checks every checksum before it writes anything, refuses a database that is not
empty, and compares the row counts afterwards. The signing key (``ZHICHENG_SIGNING_KEY`` or
``var/signing``) is not in the backup: keep it with the other secrets.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES_DIR = "files"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> dict:
    return {
        "path": path.relative_to(root).as_posix(),
        "size": path.stat().st_size,
        "sha256": sha256_of(path),
    }


def _tables() -> list[str]:
    """Every table the project's models (and their many-to-many tables) live in."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    names |= {"django_migrations"}
    return sorted(names & existing)


def _file_names_in_rows(cursor, quote) -> set[str]:
    """Every stored file name a row names (FileField / ImageField columns)."""
    names: set[str] = set()
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                cursor.execute(
                    f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(field.column)} <> ''"
                )
                names.update(row[0] for row in cursor.fetchall())
    return names


def _count_rows(cursor, quote, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_conninfo() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password
    return env


def _backup_postgresql(target: Path) -> tuple[dict[str, int], set[str]]:
    tables = _tables()
    quote = connection.ops.quote_name
    # The dump and the counts share one snapshot, held open until pg_dump has taken it.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            dump = subprocess.run(
                [
                    "pg_dump",
                    *_pg_conninfo(),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target / PG_DUMP}",
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
            if dump.returncode != 0:
                raise BackupError(f"pg_dump 失败：{dump.stderr.strip()}")
            counts = _count_rows(cursor, quote, tables)
            named = _file_names_in_rows(cursor, quote)
        finally:
            cursor.execute("ROLLBACK")
    return counts, named


def _backup_sqlite(target: Path) -> tuple[dict[str, int], set[str]]:
    tables = _tables()
    connection.ensure_connection()
    copy = sqlite3.connect(target / SQLITE_COPY)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()

        def quote(name: str) -> str:
            return '"' + name.replace('"', '""') + '"'

        counts = _count_rows(cursor, quote, tables)
        named = _file_names_in_rows(cursor, quote)
    finally:
        copy.close()
    return counts, named


def backup_create(destination: Path) -> Path:
    """Write a new backup directory under ``destination`` and return its path."""
    media = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(destination) / f"zhicheng-backup-{stamp}"
    if target.exists():
        raise BackupError(f"备份目录已存在：{target}")
    target.mkdir(parents=True)
    engine = connection.vendor
    if engine == "postgresql":
        counts, named = _backup_postgresql(target)
        database_file = PG_DUMP
    elif engine == "sqlite":
        counts, named = _backup_sqlite(target)
        database_file = SQLITE_COPY
    else:  # pragma: no cover - the project runs on these two only
        raise BackupError(f"不支持的数据库：{engine}")

    files_root = target / FILES_DIR
    if media.is_dir():
        shutil.copytree(media, files_root, symlinks=False)
    else:
        files_root.mkdir()
    files = [_entry(files_root, path) for path in sorted(files_root.rglob("*")) if path.is_file()]
    copied = {entry["path"] for entry in files}
    storage_prefix = "private/"
    missing = sorted(name for name in named if storage_prefix + name not in copied)

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": _entry(target, target / database_file),
        "tables": counts,
        "files": files,
        "missing_files": missing,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return target


def manifest_read(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"不是备份目录（缺少 {MANIFEST}）：{source}")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} 已损坏：{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def backup_verify(source: Path) -> dict:
    """Check every file of a backup against its manifest; return the manifest."""
    source = Path(source)
    manifest = manifest_read(source)
    checks = [(source, manifest["database"])]
    checks += [(source / FILES_DIR, entry) for entry in manifest["files"]]
    for root, entry in checks:
        path = root / entry["path"]
        if not path.is_file():
            raise BackupError(f"备份缺少文件：{entry['path']}")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"备份文件校验失败（内容已变）：{entry['path']}")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_files(source: Path, manifest: dict) -> int:
    media = Path(settings.MEDIA_ROOT)
    for entry in manifest["files"]:
        destination = media / entry["path"]
        if destination.exists() and sha256_of(destination) != entry["sha256"]:
            raise BackupError(f"目标位置已有不同的文件，未覆盖：{destination}")
    for entry in manifest["files"]:
        destination = media / entry["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / FILES_DIR / entry["path"], destination)
    return len(manifest["files"])


def backup_restore(source: Path) -> RestoreReport:
    """Restore a verified backup into this (empty) database and MEDIA_ROOT."""
    source = Path(source)
    manifest = backup_verify(source)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['engine']} 数据库，当前配置的是 {connection.vendor}，不能恢复"
        )
    if not _database_is_empty():
        raise BackupError("目标数据库不是空库（已有数据表），为免覆盖，拒绝恢复")
    # Files first: a failure there leaves the database untouched and empty.
    restored_files = _restore_files(source, manifest)
    if connection.vendor == "postgresql":
        connection.close()
        result = subprocess.run(
            [
                "pg_restore",
                *_pg_conninfo(),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                str(source / PG_DUMP),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
    else:
        connection.ensure_connection()
        backup_copy = sqlite3.connect(source / SQLITE_COPY)
        try:
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()
        connection.close()

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, quote, sorted(manifest["tables"]))
    different = {t: (n, counts[t]) for t, n in manifest["tables"].items() if counts[t] != n}
    if different:
        detail = "，".join(f"{t}：备份 {a} 行，恢复后 {b} 行" for t, (a, b) in different.items())
        raise BackupError(f"恢复后的行数与备份不一致：{detail}")
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=restored_files)

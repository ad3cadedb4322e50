"""``manage.py restore DIR``: restore a backup into an empty database and MEDIA_ROOT."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhicheng.common.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "把 manage.py backup 写的备份恢复到空数据库（先校验全部文件，恢复后核对行数）"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="备份目录（含 manifest.json）")

    def handle(self, *args, source: Path, **options):
        try:
            report = backup_restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成：{report.tables} 张表，{report.rows} 行（与备份一致），{report.files} 个文件"
        )

"""``manage.py backup DIR``: a consistent backup of the database and the stored files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhicheng.common.backup import BackupError, backup_create, manifest_read


class Command(BaseCommand):
    help = "备份数据库与上传文件、证书（含校验清单 manifest.json），写到 DIR 下的新目录"

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="备份存放目录")

    def handle(self, *args, destination: Path, **options):
        try:
            target = backup_create(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = manifest_read(target)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"备份完成：{target}（{len(manifest['tables'])} 张表，{rows} 行，"
            f"{len(manifest['files'])} 个文件）"
        )
        for name in manifest["missing_files"]:
            self.stderr.write(f"警告：数据中引用的文件在备份时已不存在：{name}")
        # The last line is the path, for scripts.
        self.stdout.write(str(target))

"""``manage.py issue_job_run <id>``: run a 批量发放证书 job (1.17) now, in this process — what the
Huey task ``certificates_issue_job`` does; for operators (a job whose worker died is taken over
once its heartbeat is older than the lease, or at once with ``--lease 0``) and the crash test."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhicheng.certificates.services import issue_jobs
from zhicheng.common.errors import ApplicationError


class Command(BaseCommand):
    help = "运行批量发放证书任务"

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument(
            "--lease",
            type=float,
            default=issue_jobs.LEASE.total_seconds(),
            help="seconds without a heartbeat after which a running job is taken over",
        )

    def handle(self, *args, **options):
        try:
            job = issue_jobs.issue_job_run(
                options["job_id"], lease=dt.timedelta(seconds=options["lease"])
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if job is None:
            self.stdout.write("任务正在由其他进程运行或已结束")
            return
        self.stdout.write(
            f"{job.get_status_display()}：已发放 {job.done}，未发放 {job.failed}，共 {job.total}"
        )

"""Background jobs of the certificates app. Thin: call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhicheng.certificates.services import issue_jobs, issuing, national


@db_periodic_task(crontab(minute="*/5"))
def certificates_pending_finish() -> None:
    """Every 5 minutes: certificates left 生成中 by a crash between the two transactions of
    issuing are rendered, signed and stored."""
    issuing.certificates_finish_pending()


@db_periodic_task(crontab(minute="*"))
def national_reports_deliver() -> None:
    """Every minute: 证书报送人社部 (1.18) — deliver the due outbox rows, release the claims of
    dead workers. Several workers may run it at once (rows are claimed with SKIP LOCKED)."""
    national.national_reports_deliver()


@db_task()
def national_reports_deliver_now() -> None:
    """Queued after 上报 / 撤销 / 重新上报 commit: deliver without waiting for the minute."""
    national.national_reports_deliver()


@db_task()
def certificates_issue_job(job_id: int) -> None:
    """批量发放证书 (1.17): run the job (a second run of a job already running does nothing)."""
    issue_jobs.issue_job_run(job_id)

"""Background jobs of the engine. Thin: load ids, call a service; the job row is the progress."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhicheng.tabular import services


@db_task(retries=2, retry_delay=30)
def export_job_task(job_id: int) -> None:
    services.export_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def export_jobs_watch() -> None:
    """Every minute: exports whose worker stopped beating are shown interrupted and re-queued."""
    services.export_jobs_resume_stale()


@db_periodic_task(crontab(minute="*/10"))
def tabular_housekeeping() -> None:
    services.export_files_purge()
    services.export_leftovers_sweep()
    services.import_batches_expire()

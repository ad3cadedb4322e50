"""Background jobs of the applications app. Thin: call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhicheng.applications.services import deadlines


@db_periodic_task(crontab(minute="7"))
def application_deadlines() -> None:
    """Hourly: 补正期限 — warn the applicants due tomorrow, 视为放弃 the overdue returns."""
    deadlines.application_deadlines_run()

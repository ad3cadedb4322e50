"""Background jobs of the certificates app. Thin: call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhicheng.certificates.services import issuing


@db_periodic_task(crontab(minute="*/5"))
def certificates_pending_finish() -> None:
    """Every 5 minutes: certificates left 生成中 by a crash between the two transactions of
    issuing are rendered, signed and stored."""
    issuing.certificates_finish_pending()

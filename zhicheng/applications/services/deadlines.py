"""补正期限: a day before a returned application's deadline its applicant is warned; once the
deadline has passed without a resubmission the application is 视为放弃 (``ABANDONED``, through
the workflow kernel, with a ``ReviewRecord`` by the system). Run hourly by the Huey task
``application_deadlines`` and by ``manage.py application_deadlines``; both are idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.inbox.services import messages_send

from ..models import Application, ApplicationStatus, ReviewAction
from ._common import _lock, _save_workflow, _transition
from .notices import abandoned_notice, deadline_notice


@dataclass
class DeadlinesOutcome:
    warned: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        return f"到期提醒 {len(self.warned)} 件，视为放弃 {len(self.expired)} 件"


def _overdue(app: Application, today: dt.date) -> bool:
    return app.correction_deadline is not None and app.correction_deadline < today


@transaction.atomic
def application_expire(
    *, application: Application | int, today: dt.date | None = None
) -> Application:
    """视为放弃: the returned application whose 补正期限 has passed (by the system, no actor)."""
    today = today or workdays.today()
    app = _lock(application)
    if app.status == ApplicationStatus.RETURNED and not _overdue(app, today):
        raise ApplicationError("补正期限未到，不能视为放弃")
    deadline = app.correction_deadline
    step = _transition(app, action=ReviewAction.EXPIRE, to=ApplicationStatus.ABANDONED)
    step.write(
        save=_save_workflow,
        record={"deadline": deadline},
        summary=lambda: f"逾期未补正，视为放弃：{app}（补正期限 {deadline:%Y-%m-%d}）",
        operation="expire",
    )
    messages_send([abandoned_notice(app, deadline=deadline)])
    return app


@transaction.atomic
def application_deadline_warn(*, application: Application | int, today: dt.date) -> bool:
    """到期提醒, once per return: whether a message was sent."""
    app = _lock(application)
    deadline = app.correction_deadline
    if (
        app.status != ApplicationStatus.RETURNED
        or deadline is None
        or app.deadline_warned_on is not None
        or not today <= deadline <= today + dt.timedelta(days=1)
    ):
        return False
    app.deadline_warned_on = today
    app.save(update_fields=["deadline_warned_on"])
    messages_send([deadline_notice(app, deadline=deadline)])
    return True


def application_deadlines_run(*, today: dt.date | None = None) -> DeadlinesOutcome:
    """The scheduled job: warn the applications due tomorrow (or today, when the warning was
    missed), expire the overdue ones. One transaction per application, so a failure of one
    leaves the others done and a rerun does the rest."""
    today = today or workdays.today()
    outcome = DeadlinesOutcome()
    returned = Application.objects.filter(
        status=ApplicationStatus.RETURNED, correction_deadline__isnull=False
    )
    for pk in returned.filter(correction_deadline__lt=today).values_list("pk", flat=True):
        try:
            application_expire(application=pk, today=today)
        except ApplicationError:
            continue  # resubmitted or withdrawn meanwhile
        outcome.expired.append(pk)
    due = returned.filter(
        correction_deadline__gte=today,
        correction_deadline__lte=today + dt.timedelta(days=1),
        deadline_warned_on__isnull=True,
    )
    for pk in due.values_list("pk", flat=True):
        if application_deadline_warn(application=pk, today=today):
            outcome.warned.append(pk)
    return outcome

"""Writes of 职称申报 (guide 1.12): the applicant's draft, attachments and the review workflow.

Every function is ``@transaction.atomic``, keyword-only, takes ``actor``, locks the application
(``select_for_update``), checks and writes. Workflow steps go through the kernel
(``common.workflow.transition``, via ``_transition``): it checks the TRANSITIONS table, writes
the status, the step's ``ReviewRecord`` (``Application.timeline_record``) and the operation log.

Concurrency: the caller passes the ``version`` it displayed (``expected_version``). Under the row
lock the service compares it, so of two officers acting at once exactly one succeeds and the
other gets "该申报已被处理" with nothing changed. The same request sent twice (a double click)
is recognised — the last step is the actor's own, same action, one version ago — and succeeds
once, without a second record.

By sub-domain: ``drafts`` (create, edit), ``attachments`` (电子档案), ``submission`` (提交, 重新提交,
撤回), ``review`` (审核通过 with the 受理号, 退回 with 补正模块 and 补正期限, 退回补充材料, 批量审核通过),
``deadlines`` (到期提醒, 视为放弃), ``notices`` (the applicant's 消息); ``_common`` holds the shared
helpers.
Everything is importable from ``zhicheng.applications.services`` as before.
"""

from ._common import (
    ALREADY_HANDLED,
    DATA_FIELDS,
    MAX_WORK_EXPERIENCES,
    NOT_YOURS,
    _transition,
    where_now,
)
from .attachments import attachment_add, attachment_delete
from .deadlines import (
    DeadlinesOutcome,
    application_deadline_warn,
    application_deadlines_run,
    application_expire,
)
from .drafts import WorkExperienceData, application_create, application_update
from .review import (
    BATCH_LIMIT,
    ApprovalOutcome,
    BatchOutcome,
    application_approve,
    application_batch_approve,
    application_return,
    application_return_for_supplement,
    can_review,
    returned_message,
    reviewer_problem,
)
from .submission import application_resubmit, application_submit, application_withdraw

__all__ = [
    "ALREADY_HANDLED",
    "BATCH_LIMIT",
    "DATA_FIELDS",
    "MAX_WORK_EXPERIENCES",
    "NOT_YOURS",
    "ApprovalOutcome",
    "BatchOutcome",
    "WorkExperienceData",
    "DeadlinesOutcome",
    "application_deadline_warn",
    "application_deadlines_run",
    "application_expire",
    "_transition",
    "application_approve",
    "application_batch_approve",
    "application_create",
    "application_resubmit",
    "application_return",
    "application_return_for_supplement",
    "application_submit",
    "application_update",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "can_review",
    "returned_message",
    "reviewer_problem",
    "where_now",
]

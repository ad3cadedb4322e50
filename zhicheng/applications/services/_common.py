"""Helpers shared by the application services: locking, the one status transition, review
records, version checks and replays (see the package docstring)."""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.common.workflow import Step, transition
from zhicheng.orgs.models import Organization

from ..models import (
    Application,
    ApplicationRouteNode,
    ApplicationStatus,
    ReviewRecord,
)

ALREADY_HANDLED = "该申报已被处理"
NOT_YOURS = "只能操作本人的申报"
MAX_WORK_EXPERIENCES = 30

# Fields of the applicant's data a draft (or a returned application) may change.
DATA_FIELDS = (
    "education",
    "school",
    "major",
    "graduation_date",
    "work_start_date",
    "current_title_name",
    "current_title_date",
    # 省外资格确认
    "out_of_province",
    "origin_province",
    "origin_certificate_number",
)


# --- helpers --------------------------------------------------------------------------------


def _transition(
    app: Application, *, action: str, to: str, actor: User | None = None, opinion: str = ""
) -> Step:
    """An application's step through the workflow kernel, in memory (the caller sets the
    route, then ``Step.write``s it with its ``ReviewRecord``): refuses any move the TRANSITIONS
    table lacks ("当前状态（…）不能…"), and counts the version up."""
    return transition(
        app,
        action,
        actor=actor,
        to=to,
        opinion=opinion,
        values={"version": app.version + 1},
        save=False,
    )


LOCK_RELATED = (
    "person",
    "title",
    "title__series",
    "specialty",
    "employer",
    "acceptance_office",
    "acceptance_office__organization",
    "committee",
    "current_organization",
    "returned_from",
)


def _lock_ids(ids) -> list[int]:
    """Lock the rows (in id order, so concurrent batches cannot deadlock) without joins: on
    PostgreSQL a row re-read after waiting for a lock keeps the *old* joined rows, so a
    ``select_related`` of a changed foreign key would come back empty."""
    return list(
        Application.objects.select_for_update()
        .filter(pk__in=list(ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _lock(
    application: Application | int, *, related: tuple[str, ...] = LOCK_RELATED
) -> Application:
    pk = application if isinstance(application, int) else application.pk
    if not _lock_ids([pk]):
        raise ApplicationError("申报不存在")
    # Read after the lock is held: this statement sees the latest committed row.
    return Application.objects.select_related(*related).get(pk=pk)


# What a review step reads with the row: the names in its messages and operation log.
STEP_RELATED = ("person", "title")


def _lock_for_step(application: Application | int, *, step: int) -> Application:
    """Lock and read the row for a review step in one statement, with ``target_id`` and
    ``target_name``: the organization ``step`` places along the route (+1 up, -1 down; None
    past either end). An approval is the busiest write of the system, so the read is the
    cheapest that serves it (measured: a wider ``select_related`` or annotations cost more
    than they save); the other relations load on use, which only the refusals need."""
    pk = application if isinstance(application, int) else application.pk
    rows = Application.objects.select_related(*STEP_RELATED).filter(pk=pk)
    try:
        app = rows.select_for_update(of=("self",)).get()
    except Application.DoesNotExist:
        # Missing — or changed while this waited for the lock, when PostgreSQL re-checks the
        # join against the person and title rows read before: lock first, then read.
        if not _lock_ids([pk]):
            raise ApplicationError("申报不存在") from None
        app = rows.get()
    target = (app.route_position or 0) + step
    app.target_id = app.route_chain[target] if 0 <= target < len(app.route_chain or ()) else None
    # The target's name, and the current organization's name and type (the step's messages
    # and the 受理号 rule), in one read.
    ids = [pk for pk in (app.target_id, app.current_organization_id) if pk]
    found = (
        {
            pk: (name, org_type)
            for pk, name, org_type in Organization.objects.filter(pk__in=ids).values_list(
                "pk", "name", "org_type"
            )
        }
        if ids
        else {}
    )
    app.target_name = found.get(app.target_id, (None, None))[0]
    app.from_name, app.from_org_type = found.get(app.current_organization_id, (None, None))
    return app


def _moved_to_target(app: Application) -> None:
    """After a step to ``app.target_id`` (see ``_lock_for_step``): ``current_organization``
    without reading the organization again (id and name loaded, the rest on access)."""
    if app.current_organization_id is None:
        return
    if app.current_organization_id == app.target_id:
        app.current_organization = Organization.from_db(
            Organization.objects.db, ["id", "name"], [app.target_id, app.target_name]
        )
    else:
        app.current_organization = Organization.objects.get(pk=app.current_organization_id)


# The columns a workflow step changes (review, submission, withdrawal).
WORKFLOW_FIELDS = (
    "status",
    "version",
    "route_chain",
    "route_position",
    "route_length",
    "current_organization",
    "returned_from",
    "submitted_at",
    "decided_at",
    "acceptance_number",
    "return_modules",
    "correction_deadline",
    "deadline_warned_on",
    "updated_at",
)


def _save_workflow(app: Application) -> None:
    """Save a workflow step: its columns only, without django-auditlog's read of the old row
    before every save — the step itself is the ``ReviewRecord`` and the operation-log entry,
    and none of the applicant's data fields auditlog watches changes here."""
    with disable_auditlog():
        app.save(update_fields=WORKFLOW_FIELDS)


def route_nodes_refresh(app: Application) -> None:
    """Copy the application's list columns onto all its scope nodes (see
    ``ApplicationRouteNode.COPIED_FIELDS``): after a submission, and after an edit of an
    application officers already see."""
    ApplicationRouteNode.objects.filter(application=app).update(
        **{field: getattr(app, field) for field in ApplicationRouteNode.COPIED_FIELDS}
    )


def _last_record(app: Application) -> ReviewRecord | None:
    return app.review_records.order_by("-created_at", "-pk").first()


def _is_replay(app: Application, *, actor: User, action: str, expected_version: int | None) -> bool:
    """The same request again (a double click): the last step is this actor's, same action,
    exactly one version ago."""
    if expected_version is None or expected_version != app.version - 1:
        return False
    last = _last_record(app)
    return last is not None and last.actor_id == actor.pk and last.action == action


def where_now(app: Application) -> str:
    """Where the application is now, as a sentence (过程跟踪, messages)."""
    if app.status == ApplicationStatus.UNDER_REVIEW and app.current_organization_id:
        if app.is_committee_turn and app.committee_id:
            name = app.committee.name
        else:
            name = app.current_organization.name
        text = f"当前待“{name}”审核"
        if app.returned_from_id:
            text += f"（“{app.returned_from.name}”退回待处理）"
        return text
    if app.status == ApplicationStatus.APPROVED and app.is_evaluation and app.committee_id:
        return f"资格审核通过，待“{app.committee.name}”评审"
    return {
        ApplicationStatus.DRAFT: "草稿，尚未提交",
        ApplicationStatus.RETURNED: "已退回申报人修改",
        ApplicationStatus.APPROVED: "审核通过，已生效",
        ApplicationStatus.WITHDRAWN: "已撤回",
        ApplicationStatus.ABANDONED: "逾期未补正，视为放弃",
    }.get(app.status, app.get_status_display())


def _handled(app: Application) -> ApplicationError:
    return ApplicationError(f"{ALREADY_HANDLED}（{where_now(app)}）")


def _check_version(app: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != app.version:
        raise _handled(app)


def _require_owner(app: Application, actor: User) -> None:
    if actor is None or not actor.is_authenticated or app.applicant_id != actor.pk:
        raise PermissionDenied(NOT_YOURS)


def _clean_text(value: Any, max_length: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > max_length:
        raise ApplicationError(f"内容不能超过{max_length}个字符")
    return text

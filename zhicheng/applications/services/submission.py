"""提交, 重新提交 and 撤回 by the applicant: the submission rules, then the route is entered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.selectors import organization_ancestor_ids

from .. import rules
from ..models import (
    Application,
    ApplicationRouteNode,
    ApplicationStatus,
    ReviewAction,
)
from ._common import (
    _check_version,
    _is_replay,
    _last_record,
    _lock,
    _require_owner,
    _transition,
    route_nodes_refresh,
)


def _enter_route(app: Application, route: rules.ResolvedRoute) -> None:
    chain = route.organization_ids
    app.route_chain = chain
    app.route_length = len(chain)
    app.route_position = 0
    app.current_organization_id = chain[0]
    app.returned_from = None
    nodes = [
        ApplicationRouteNode(application=app, organization_id=org_id, position=position)
        for position, org_id in enumerate(chain)
    ]
    nodes += [
        ApplicationRouteNode(application=app, organization_id=org_id, position=None)
        for org_id in organization_ancestor_ids(chain) - set(chain)
    ]
    ApplicationRouteNode.objects.bulk_create(nodes, ignore_conflicts=True)


def _submit(
    *, actor: User, application: Application | int, expected_version: int | None, action: str
) -> Application:
    app = _lock(application)
    _require_owner(app, actor)
    if _is_replay(app, actor=actor, action=action, expected_version=expected_version):
        return app
    _check_version(app, expected_version)
    expected_from = (
        ApplicationStatus.DRAFT if action == ReviewAction.SUBMIT else (ApplicationStatus.RETURNED)
    )
    if app.status != expected_from:
        raise ApplicationError(
            f"当前状态（{app.get_status_display()}）不能{ReviewAction(action).label}"
        )
    today = timezone.localdate()
    if (
        action == ReviewAction.RESUBMIT
        and app.correction_deadline
        and today > app.correction_deadline
    ):
        raise ApplicationError(
            f"补正期限（{app.correction_deadline:%Y-%m-%d}）已过，不能重新提交，申报视为放弃"
        )
    route = rules.check_submission(app, today)
    # A returned application corrected after its window closed keeps that window: it was
    # submitted in time. A first submission (or one that never had a window) must be inside one.
    if action == ReviewAction.SUBMIT or app.window_id is None:
        app.window = rules.check_window(app, timezone.now())
    step = _transition(app, action=action, to=ApplicationStatus.UNDER_REVIEW, actor=actor)
    _enter_route(app, route)
    app.submitted_at = timezone.now()
    app.decided_at = None
    # 补正 done: the modules and the deadline of the return are spent.
    app.return_modules = []
    app.correction_deadline = None
    app.deadline_warned_on = None

    def save(app: Application) -> None:
        app.save()
        route_nodes_refresh(app)

    step.write(
        save=save,
        record={"to_organization": app.current_organization_id},
        summary=f"{ReviewAction(action).label}：{app}，送{route.chain.nodes[0].name}审核",
        operation=action,
    )
    return app


@transaction.atomic
def application_submit(
    *, actor: User, application: Application | int, expected_version: int | None = None
) -> Application:
    """提交: every submission rule, then the route is resolved, stored and entered."""
    return _submit(
        actor=actor,
        application=application,
        expected_version=expected_version,
        action=ReviewAction.SUBMIT,
    )


@transaction.atomic
def application_resubmit(
    *, actor: User, application: Application | int, expected_version: int | None = None
) -> Application:
    """重新提交 after a return: the rules again, the route re-resolved from the employer."""
    return _submit(
        actor=actor,
        application=application,
        expected_version=expected_version,
        action=ReviewAction.RESUBMIT,
    )


@transaction.atomic
def application_withdraw(
    *, actor: User, application: Application | int, expected_version: int | None = None
) -> Application:
    """撤回: a draft, a returned application, or a submitted one nobody has acted on yet."""
    app = _lock(application)
    _require_owner(app, actor)
    if _is_replay(
        app, actor=actor, action=ReviewAction.WITHDRAW, expected_version=expected_version
    ):
        return app
    _check_version(app, expected_version)
    if app.status == ApplicationStatus.UNDER_REVIEW:
        last = _last_record(app)
        if last is None or last.action not in (ReviewAction.SUBMIT, ReviewAction.RESUBMIT):
            raise ApplicationError("审核单位已处理该申报，不能撤回")
    from_org = app.current_organization_id
    step = _transition(
        app, action=ReviewAction.WITHDRAW, to=ApplicationStatus.WITHDRAWN, actor=actor
    )
    app.current_organization = None
    app.returned_from = None
    step.write(
        save=lambda app: app.save(),
        record={"from_organization": from_org},
        summary=f"撤回申报：{app}",
        operation="withdraw",
    )
    return app

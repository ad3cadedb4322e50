"""Reads of the operation log and the login log, always scoped.

An audit admin sees the entries of users in their organization's subtree. Entries that belong
to no organization — by no actor (system jobs, demo loading, anonymous actions) or by an
account without one (self-registered applicants) — are seen by whoever reads the log for a
top-level organization (the province bureau's audit admin): every account's actions are
auditable by someone, and nobody else's scope grows. The login log follows the same rule for
the logins of accounts without an organization, and adds failed logins under a username no
account has (typos, guessing): every audit admin sees those.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.oplog import OPERATION_LABELS
from zhicheng.common.scoping import scoped
from zhicheng.common.validators import contains_unless_id_number

# 操作类型 filter: data changes (auditlog actions) first, then the business actions.
ACTION_OPERATIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}
ACTION_LABELS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    LogEntry.Action.ACCESS: "访问",
}
OPERATION_CHOICES: list[tuple[str, str]] = [
    ("create", "新增"),
    ("update", "修改"),
    ("delete", "删除"),
    *((code, label) for code, label in OPERATION_LABELS.items() if code not in ACTION_OPERATIONS),
]

LOGIN_RESULT_CHOICES = [("success", "成功"), ("failure", "失败")]


def _day_bounds(
    date_from: dt.date | None, date_to: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Whole local days → aware datetimes [start, end) that can use the timestamp index."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz) if date_from else None
    end = (
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        if date_to
        else None
    )
    return start, end


VIEW_OPERATION_LOG = "accounts.view_operation_log"
VIEW_LOGIN_LOG = "accounts.view_login_log"


def _audits_the_unattached(user: User, permission: str) -> bool:
    """Whether the user reads the log (``permission``) for a top-level organization: who sees
    what belongs to no organization. An officer without the permission (an HR officer of the
    province) gains nothing."""
    org = getattr(user, "organization", None)
    return bool(
        user.is_authenticated
        and user.is_officer
        and org is not None
        and org.depth == 1
        and user.has_perm(permission)
    )


def _visible_entries(user: User) -> QuerySet[LogEntry]:
    base = LogEntry.objects.all()
    visible = scoped(base, user)
    if _audits_the_unattached(user, VIEW_OPERATION_LOG):
        # No actor, or an actor without an organization (self-registered applicants).
        visible = visible | base.filter(Q(actor__isnull=True) | Q(actor__organization__isnull=True))
    return visible


def operation_filter(qs: QuerySet[LogEntry], operation: str) -> QuerySet[LogEntry]:
    if operation in ACTION_OPERATIONS:
        match = Q(action=ACTION_OPERATIONS[operation])
        if operation == "delete":  # a business 删除 recorded by operation_record
            match |= Q(action=LogEntry.Action.ACCESS, additional_data__operation="delete")
        return qs.filter(match)
    return qs.filter(action=LogEntry.Action.ACCESS, additional_data__operation=operation)


def operation_log_list(
    *,
    user: User,
    actor: str = "",
    operation: str = "",
    content_type: ContentType | int | str | None = None,
    object_repr: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    ip: str = "",
) -> QuerySet[LogEntry]:
    """操作日志: newest first, with the actor (and organization) and content type joined."""
    qs = _visible_entries(user)
    if actor := (actor or "").strip():
        qs = qs.filter(
            contains_unless_id_number("actor__username", actor, user=user)
            | Q(actor__real_name__icontains=actor)
        )
    if operation:
        qs = operation_filter(qs, operation)
    if content_type:
        ct_id = content_type.pk if isinstance(content_type, ContentType) else content_type
        qs = qs.filter(content_type_id=ct_id)
    if object_repr := (object_repr or "").strip():
        qs = qs.filter(object_repr__icontains=object_repr)
    start, end = _day_bounds(date_from, date_to)
    if start:
        qs = qs.filter(timestamp__gte=start)
    if end:
        qs = qs.filter(timestamp__lt=end)
    if ip := (ip or "").strip():
        qs = qs.filter(remote_addr__startswith=ip)
    return qs.select_related("actor", "actor__organization", "content_type").order_by(
        "-timestamp", "-pk"
    )


def operation_log_get(*, user: User, pk: Any) -> LogEntry:
    """One entry, or 404 for missing and out of scope alike (``get_scoped_or_404``'s rule,
    widened by the entries of no organization a top-level audit admin sees)."""
    try:
        return (
            _visible_entries(user)
            .select_related("actor", "actor__organization", "content_type")
            .get(pk=pk)
        )
    except (LogEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None


def operation_log_content_types() -> QuerySet[ContentType]:
    """对象类型 choices: the project's models (a small table; scanning the log for the types
    it holds would read every entry)."""
    labels = [app.label for app in apps.get_app_configs() if app.name.startswith("zhicheng.")]
    return ContentType.objects.filter(app_label__in=[*labels, "auth"]).order_by(
        "app_label", "model"
    )


# --- Login log ----------------------------------------------------------------------------

LOGIN_LOG_FIELDS = ("username", "ip_address", "user_agent", "path_info", "attempt_time")


def login_log_list(
    *,
    user: User,
    result: str = "",
    username: str = "",
    ip: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """登录日志: successful logins (axes ``AccessLog``) and failed attempts
    (``AccessFailureLog``) as one list of dicts, newest first."""
    visible_users = scoped(User.objects.all(), user)
    if _audits_the_unattached(user, VIEW_LOGIN_LOG):
        visible_users = visible_users | User.objects.filter(organization__isnull=True)
    visible_usernames = visible_users.values("username")
    successes = AccessLog.objects.filter(username__in=visible_usernames)
    failures = AccessFailureLog.objects.filter(
        Q(username__in=visible_usernames)
        | Q(username__isnull=True)
        | ~Q(username__in=User.objects.values("username"))
    )
    if not (user.is_authenticated and user.is_officer):
        successes, failures = successes.none(), failures.none()

    def narrow(qs: QuerySet) -> QuerySet:
        if name := (username or "").strip():
            qs = qs.filter(contains_unless_id_number("username", name, user=user))
        if address := (ip or "").strip():
            qs = qs.filter(ip_address__startswith=address)
        start, end = _day_bounds(date_from, date_to)
        if start:
            qs = qs.filter(attempt_time__gte=start)
        if end:
            qs = qs.filter(attempt_time__lt=end)
        return qs.order_by()

    if result not in dict(LOGIN_RESULT_CHOICES):
        result = ""
    parts = []
    if result in ("", "success"):
        parts.append(
            narrow(successes)
            .annotate(success=Value(True, output_field=BooleanField()))
            .values(*LOGIN_LOG_FIELDS, "success")
        )
    if result in ("", "failure"):
        parts.append(
            narrow(failures)
            .annotate(success=Value(False, output_field=BooleanField()))
            .values(*LOGIN_LOG_FIELDS, "success")
        )
    combined = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    return combined.order_by("-attempt_time")

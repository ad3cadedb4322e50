"""Service steps shared by several apps (each app keeps its own ``<entity>_<action>`` service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from zhicheng.common.errors import ApplicationError
from zhicheng.common.models import DEREGISTER_REASON_MAX, Deregistrable, DeregistrationStatus
from zhicheng.common.workflow import transition

if TYPE_CHECKING:
    from zhicheng.accounts.models import User


def record_deregister(
    record: Deregistrable,
    *,
    actor: User,
    reason: str | None,
    reason_required: bool,
    already: str,
    summary: str,
) -> None:
    """注销: the one place a ``Deregistrable`` row's status changes (正常 → 已注销).

    The caller (an app's ``<entity>_deregister`` service, inside its transaction) has checked
    permission and scope and locked ``record`` with ``select_for_update``. Refuses a row that is
    deregistered already (message ``already``) and a missing (when ``reason_required``) or too
    long 注销原因; keeps reason, who and when; writes the operation log entry: ``summary``
    followed by the reason.
    """
    to = DeregistrationStatus.DEREGISTERED
    if not record.workflow.allows(record.status, "deregister", to):
        raise ApplicationError(already)
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ApplicationError("请填写注销原因")
    if len(reason) > DEREGISTER_REASON_MAX:
        raise ApplicationError(f"注销原因不能超过{DEREGISTER_REASON_MAX}字")
    transition(
        record,
        "deregister",
        actor=actor,
        to=to,
        values={
            "deregister_reason": reason,
            "deregistered_by": actor,
            "deregistered_at": timezone.now(),
        },
        summary=summary + (f"：{reason}" if reason else ""),
        changes={
            "status": [DeregistrationStatus.ACTIVE.value, to.value],
            "deregister_reason": ["", reason],
        },
    )

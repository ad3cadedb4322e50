"""Service steps shared by several apps (each app keeps its own ``<entity>_<action>`` service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from zhicheng.common.errors import ApplicationError
from zhicheng.common.models import (
    DEREGISTER_REASON_MAX,
    DEREGISTRATION_TRANSITIONS,
    Deregistrable,
    DeregistrationStatus,
)
from zhicheng.common.oplog import operation_record

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
    if to not in DEREGISTRATION_TRANSITIONS[record.status]:
        raise ApplicationError(already)
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ApplicationError("请填写注销原因")
    if len(reason) > DEREGISTER_REASON_MAX:
        raise ApplicationError(f"注销原因不能超过{DEREGISTER_REASON_MAX}字")
    record.status = to
    record.deregister_reason = reason
    record.deregistered_by = actor
    record.deregistered_at = timezone.now()
    fields = ["status", "deregister_reason", "deregistered_by", "deregistered_at"]
    if any(field.name == "updated_at" for field in record._meta.concrete_fields):
        fields.append("updated_at")
    record.save(update_fields=fields)
    operation_record(
        actor=actor,
        operation="deregister",
        obj=record,
        summary=summary + (f"：{reason}" if reason else ""),
        changes={
            "status": [DeregistrationStatus.ACTIVE.value, to.value],
            "deregister_reason": ["", reason],
        },
    )

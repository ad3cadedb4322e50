"""Writes of 黑名单管理 (guide 1.21) and the blacklist rule the application submission calls.

Every write is atomic, keyword-only, takes ``actor`` (an officer holding the blacklist
permissions), locks what it changes and is written to the operation log. The listing bureau
(``organization``) is the actor's own organization; only entries in the actor's subtree can be
changed or lifted.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist.models import (
    BlacklistEntry,
    BlacklistReason,
    BlacklistState,
    BlacklistStatus,
    default_end_date,
)
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.persons.models import IdType, Person
from zhicheng.persons.services import person_get_or_create

# The only moves of an entry's stored status (declared on the model: ``BlacklistEntry.workflow``).
TRANSITIONS: dict[str, frozenset[str]] = BlacklistEntry.workflow.targets()

NOT_FOUND = "黑名单记录不存在或不在管辖范围内"


def _check_fields(*, reason: str, document_number: str, start: dt.date, end: dt.date) -> None:
    if reason not in BlacklistReason.values:
        raise ApplicationError("请选择有效的原因类别")
    if not (document_number or "").strip():
        raise ApplicationError("请填写依据文号")
    if end < start:
        raise ApplicationError(f"结束日期（{end:%Y-%m-%d}）不能早于开始日期（{start:%Y-%m-%d}）")


def _check_no_overlap(
    *, person: Person, start: dt.date, end: dt.date, exclude_pk: int | None = None
) -> None:
    """One person is listed at most once for any day (unscoped: it is a rule)."""
    clash = (
        BlacklistEntry.objects.filter(
            person=person, status=BlacklistStatus.ACTIVE, start_date__lte=end, end_date__gte=start
        )
        .exclude(pk=exclude_pk)
        .select_related("organization")
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            f"{person.name}在{clash.start_date:%Y-%m-%d}至{clash.end_date:%Y-%m-%d}已列入黑名单"
            f"（{clash.organization.name}，{clash.document_number}），期间不能重叠，请修改原记录"
        )


def _lock_in_scope(*, actor: User, entry: BlacklistEntry) -> BlacklistEntry:
    locked = (
        scoped(BlacklistEntry.objects.select_for_update(of=("self",)), actor)
        .select_related("person", "organization")
        .filter(pk=entry.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError(NOT_FOUND)
    return locked


@transaction.atomic
def blacklist_entry_create(
    *,
    actor: User,
    reason: str,
    document_number: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    notes: str = "",
    person: Person | None = None,
    id_type: str = IdType.RESIDENT_ID,
    id_number: str = "",
    name: str = "",
) -> BlacklistEntry:
    """新增黑名单. The person is given either as ``person`` (already resolved by the caller
    within its rules) or by document number + name — a new person with a valid number is
    registered on the fly. ``end_date`` defaults to ``start_date`` + 3 years."""
    require_perm(actor, "blacklist.add_blacklistentry", "无权新增黑名单", error=PermissionDenied)
    if actor.organization_id is None:
        raise ApplicationError("您的账号未关联机构，不能新增黑名单")
    if start_date is None:
        raise ApplicationError("请填写开始日期")
    end_date = end_date or default_end_date(start_date)
    _check_fields(reason=reason, document_number=document_number, start=start_date, end=end_date)
    if person is None:
        if not (id_number or "").strip():
            raise ApplicationError("请选择人员，或填写新人员的证件号码和姓名")
        person, _created = person_get_or_create(
            actor=actor, id_type=id_type, id_number=id_number, name=name
        )
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
    _check_no_overlap(person=person, start=start_date, end=end_date)
    entry = BlacklistEntry(
        person=person,
        reason=reason,
        document_number=document_number.strip(),
        start_date=start_date,
        end_date=end_date,
        notes=(notes or "").strip(),
        organization=actor.organization,
        created_by=actor,
    )
    full_clean_or_raise(entry)
    entry.save()
    operation_record(
        actor=actor,
        operation="create",
        obj=entry,
        summary=(
            f"列入黑名单 {person.name}（{entry.get_reason_display()}，{entry.document_number}，"
            f"{start_date:%Y-%m-%d}至{end_date:%Y-%m-%d}）"
        ),
    )
    return entry


@transaction.atomic
def blacklist_entry_update(
    *,
    actor: User,
    entry: BlacklistEntry,
    reason: str | None = None,
    document_number: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    notes: str | None = None,
) -> BlacklistEntry:
    """修改: reason, 文号, dates and notes of an entry that is not lifted. ``None`` = unchanged."""
    require_perm(actor, "blacklist.change_blacklistentry", "无权修改黑名单", error=PermissionDenied)
    locked = _lock_in_scope(actor=actor, entry=entry)
    if locked.is_lifted:
        raise ApplicationError("该黑名单记录已解除，不能修改")
    before = {
        "reason": locked.reason,
        "document_number": locked.document_number,
        "start_date": locked.start_date.isoformat(),
        "end_date": locked.end_date.isoformat(),
        "notes": locked.notes,
    }
    if reason is not None:
        locked.reason = reason
    if document_number is not None:
        locked.document_number = document_number.strip()
    if start_date is not None:
        locked.start_date = start_date
    if end_date is not None:
        locked.end_date = end_date
    if notes is not None:
        locked.notes = notes.strip()
    _check_fields(
        reason=locked.reason,
        document_number=locked.document_number,
        start=locked.start_date,
        end=locked.end_date,
    )
    Person.objects.select_for_update().filter(pk=locked.person_id).first()
    _check_no_overlap(
        person=locked.person, start=locked.start_date, end=locked.end_date, exclude_pk=locked.pk
    )
    full_clean_or_raise(locked)
    locked.save()
    after = {
        "reason": locked.reason,
        "document_number": locked.document_number,
        "start_date": locked.start_date.isoformat(),
        "end_date": locked.end_date.isoformat(),
        "notes": locked.notes,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    operation_record(
        actor=actor,
        operation="update",
        obj=locked,
        summary=f"修改黑名单 {locked.person.name}",
        changes=changes,
    )
    return locked


@transaction.atomic
def blacklist_entry_lift(*, actor: User, entry: BlacklistEntry, reason: str) -> BlacklistEntry:
    """解除: requires a reason; the entry stays as history (status 已解除)."""
    require_perm(actor, "blacklist.lift_blacklistentry", "无权解除黑名单", error=PermissionDenied)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写解除原因")
    locked = _lock_in_scope(actor=actor, entry=entry)
    if locked.is_lifted:
        raise ApplicationError("该黑名单记录已解除，不能重复解除")
    if locked.state == BlacklistState.EXPIRED:
        raise ApplicationError("该黑名单记录已到期，自动失效，无需解除")
    transition(
        locked,
        "lift",
        actor=actor,
        values={"lift_reason": reason, "lifted_by": actor, "lifted_at": timezone.now()},
        save=_save_checked,
        summary=f"解除黑名单 {locked.person.name}：{reason}",
    )
    return locked


def _save_checked(entry: BlacklistEntry) -> None:
    full_clean_or_raise(entry)
    entry.save()


def persons_barred(person_ids: list[int], on: dt.date | None = None) -> set[int]:
    """Which of ``person_ids`` an entry bars on day ``on`` (``person_is_barred`` for a batch,
    in one query)."""
    return set(
        BlacklistEntry.objects.in_force(on or timezone.localdate())
        .filter(person_id__in=person_ids)
        .values_list("person_id", flat=True)
    )


def person_blacklist_block(person: Person, on: dt.date | None = None) -> BlacklistEntry | None:
    """The entry that bars ``person`` on day ``on`` (default today), or None.

    A rule, not a display read: deliberately unscoped, so a person listed by any bureau is
    refused everywhere. The application submission and approval call it.
    """
    if person is None or person.pk is None:
        return None
    return (
        BlacklistEntry.objects.in_force(on or timezone.localdate())
        .filter(person_id=person.pk)
        .select_related("organization")
        .order_by("-end_date", "-pk")
        .first()
    )


def person_is_barred(person_id: int, on: dt.date | None = None) -> bool:
    """Whether an entry bars the person on day ``on``: the same rule as
    :func:`person_blacklist_block`, answered by an index probe (the approval's hot path asks
    this, and reads the entry only to word a refusal)."""
    return (
        BlacklistEntry.objects.in_force(on or timezone.localdate())
        .filter(person_id=person_id)
        .exists()
    )

"""Writes of 取得职称: grant and revoke — each in a transaction, each in the operation log.

Who grants: the business action that decides a title. Today that is the top's approval of a
初定/认定 application (``applications.services.review``); the 评审 result filing (备案, guide
1.15, not built yet) will grant through the same ``title_holding_grant`` (its ``文号`` in
``document_number``, its 备案时间 in ``approved_on``). The caller has checked its own permission
and scope — granting is the consequence of its decision, not a separate right — so these
functions check only the holding's own invariants.

Revoking (撤销, e.g. fraud found later) keeps the row with who, when and why: certificates and
the operation log still refer to it. Certificate revocation (1.19) does not revoke the title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped

from .models import REVOKE_REASON_MAX, TitleHolding

REVOKE = "titles.revoke_titleholding"
# What the operation log's summary of a batch grant lists before "…".
SUMMARY_IDS = 50


@dataclass(frozen=True)
class TitleGrant:
    """What a deciding action grants: a person, the title (with its level and specialty), how
    it was acquired, when and by which organization it was approved, and from which
    application (if any)."""

    person_id: int
    title_id: int
    level: str
    acquisition_method: str
    approved_on: dt.date
    approving_organization_id: int
    specialty_id: int | None = None
    application_id: int | None = None
    document_number: str = ""

    def holding(self) -> TitleHolding:
        return TitleHolding(
            person_id=self.person_id,
            title_id=self.title_id,
            level=self.level,
            specialty_id=self.specialty_id,
            acquisition_method=self.acquisition_method,
            approved_on=self.approved_on,
            approving_organization_id=self.approving_organization_id,
            document_number=self.document_number,
            application_id=self.application_id,
        )


def _refuse_granted(grants: Sequence[TitleGrant]) -> None:
    """One application grants one title (the one-to-one stands behind this check)."""
    application_ids = [g.application_id for g in grants if g.application_id is not None]
    if len(application_ids) != len(set(application_ids)):
        raise ApplicationError("同一申报不能重复取得职称")
    granted = (
        TitleHolding.objects.filter(application_id__in=application_ids)
        .values_list("application_id", flat=True)
        .first()
    )
    if granted is not None:
        raise ApplicationError(f"申报 {granted} 已取得职称，不能重复登记")


@transaction.atomic
def title_holding_grant(*, actor: User | None, grant: TitleGrant) -> TitleHolding:
    """取得职称: record that ``grant.person`` holds the title. Refused when its application has
    granted a title already."""
    _refuse_granted([grant])
    holding = grant.holding()
    holding.save()
    operation_record(
        actor=actor,
        operation="grant",
        obj=holding,
        summary=f"取得职称：{holding}",
    )
    return holding


@transaction.atomic
def title_holdings_grant(*, actor: User | None, grants: Sequence[TitleGrant]) -> list[TitleHolding]:
    """批量取得职称 (a batch approval): all or none, one operation log entry for the batch."""
    if not grants:
        return []
    _refuse_granted(grants)
    holdings = TitleHolding.objects.bulk_create([g.holding() for g in grants], batch_size=500)
    ids = [h.pk for h in holdings]
    operation_record(
        actor=actor,
        operation="grant",
        obj=holdings[0],
        summary=f"批量取得职称 {len(holdings)} 条（记录编号 "
        + "、".join(str(pk) for pk in ids[:SUMMARY_IDS])
        + ("…" if len(ids) > SUMMARY_IDS else "")
        + "）",
    )
    return holdings


def title_holding_revoke(*, actor: User, holding: TitleHolding | int, reason: str) -> TitleHolding:
    """撤销取得职称 with a required reason (``titles.revoke_titleholding``, in the actor's scope):
    the row stays, marked with who, when and why. A certificate issued from it is revoked by
    its own action (``certificates.services.certificate_revoke``)."""
    require_perm(actor, REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写撤销原因")
    if len(reason) > REVOKE_REASON_MAX:
        raise ApplicationError(f"撤销原因不能超过 {REVOKE_REASON_MAX} 字")
    holding_id = holding.pk if isinstance(holding, TitleHolding) else holding
    with transaction.atomic():
        locked = (
            scoped(TitleHolding.objects.select_related("person", "title"), actor)
            .select_for_update(of=("self",))
            .filter(pk=holding_id)
            .first()
        )
        if locked is None:
            raise ApplicationError("取得职称记录不存在或不在您的管辖范围内")
        if locked.is_revoked:
            raise ApplicationError(f"{locked.person.name}的{locked.title.name}已撤销")
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoke_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        operation_record(
            actor=actor,
            operation="revoke",
            obj=locked,
            summary=f"撤销取得职称：{locked}：{reason}",
        )
    return locked

"""Fraud found later (1.21 原因 提供虚假材料): 列入黑名单 and, in the same action, 撤销 the titles the
person obtained through applications and the certificates issued from them — one transaction,
each step in the operation log, and every certificate already reported to the national
platform gets its 撤销 report through the usual path (``issuing.certificate_revoke`` →
``national.revoke_enqueue``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.blacklist import services as blacklist_services
from zhicheng.blacklist.models import BlacklistReason
from zhicheng.certificates.models import Certificate, CertificateStatus
from zhicheng.certificates.services import issuing
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.titles import services as title_services
from zhicheng.titles.models import TitleHolding

if TYPE_CHECKING:
    from zhicheng.blacklist.models import BlacklistEntry

# Reasons for which the blacklist offers to revoke what the person obtained.
REVOKING_REASONS = frozenset({BlacklistReason.FALSE_MATERIALS})
REVOKE_LABEL = "同时撤销该人员通过此申报取得的职称及证书"


@dataclass
class FraudOutcome:
    entry: BlacklistEntry
    holdings: list[TitleHolding] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = f"已列入黑名单：{self.entry.person.name}"
        if self.holdings:
            text += (
                f"；已撤销职称 {len(self.holdings)} 项、证书 {len(self.certificates)} 份"
                "（已上报人社部的证书将报送撤销）"
            )
        return text


def holdings_to_revoke(*, actor: User, person) -> list[TitleHolding]:
    """The titles in force ``person`` obtained through an application, in ``actor``'s scope."""
    return list(
        scoped(TitleHolding.objects.in_force(), actor)
        .filter(person=person, application__isnull=False)
        .select_related("person", "title")
        .order_by("pk")
    )


def blacklist_and_revoke(*, actor: User, revoke: bool = True, **entry) -> FraudOutcome:
    """新增黑名单 (``blacklist_entry_create``'s arguments) and, with ``revoke``, 撤销 each title the
    person obtained through an application and its certificate, with the reason 列入黑名单
    (提供虚假材料，依据文号 …). All or nothing: a title or certificate outside the actor's reach
    stops the whole action."""
    if revoke:
        require_perm(actor, title_services.REVOKE)
        require_perm(actor, issuing.REVOKE)
        if entry.get("reason") not in REVOKING_REASONS:
            raise ApplicationError("仅原因类别为“提供虚假材料”时可同时撤销职称及证书")
    with transaction.atomic():
        created = blacklist_services.blacklist_entry_create(actor=actor, **entry)
        outcome = FraudOutcome(entry=created)
        if not revoke:
            return outcome
        reason = (f"列入黑名单（{created.get_reason_display()}，{created.document_number}）")[:200]
        for holding in holdings_to_revoke(actor=actor, person=created.person):
            certificate = Certificate.objects.filter(holding=holding).first()
            if certificate is not None and certificate.status == CertificateStatus.PENDING:
                raise ApplicationError(
                    f"{holding.person.name}的{holding.title.name}证书正在生成中，请稍后再试"
                )
            if certificate is not None and certificate.status == CertificateStatus.VALID:
                outcome.certificates.append(
                    issuing.certificate_revoke(actor=actor, certificate=certificate, reason=reason)
                )
            outcome.holdings.append(
                title_services.title_holding_revoke(actor=actor, holding=holding, reason=reason)
            )
        operation_record(
            actor=actor,
            operation="fraud_revoke",
            obj=created,
            summary=(
                f"列入黑名单并撤销 {created.person.name} 通过申报取得的职称 "
                f"{len(outcome.holdings)} 项、证书 {len(outcome.certificates)} 份："
                + "、".join(
                    f"{h.title.name}"
                    + (f"（证书 {c.number.number}）" if (c := _cert_of(outcome, h)) else "")
                    for h in outcome.holdings
                )
            ),
        )
    return outcome


def _cert_of(outcome: FraudOutcome, holding: TitleHolding) -> Certificate | None:
    return next((c for c in outcome.certificates if c.holding_id == holding.pk), None)

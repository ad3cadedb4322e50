"""Checks and write steps shared by the routing services (offices, routes, imports)."""

from __future__ import annotations

from typing import Protocol

from django.db import IntegrityError, transaction

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.scoping import scoped
from zhicheng.common.services import record_deregister
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.routing.models import NODE_TYPE_ORG_TYPES, DeregistrableRecord, NodeType

_NODE_TYPES = frozenset(NodeType.values)


class OrgLike(Protocol):
    """An ``Organization`` or a lighter record with the same facts (``selectors.OrgRef``)."""

    pk: int
    name: str
    org_type: str

    @property
    def is_active(self) -> bool: ...


def check_org_in_scope(*, actor: User, organization: Organization, what: str = "机构") -> None:
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError(f"{what}不存在或不在您的管辖范围内")


def node_type_problem(node_type: str, organization: OrgLike) -> str:
    """Why ``organization`` cannot play ``node_type`` ("" when it can)."""
    if node_type not in _NODE_TYPES:
        return f"节点类型“{node_type}”无效，可选：{'、'.join(NodeType.labels)}"
    allowed = NODE_TYPE_ORG_TYPES.get(node_type)
    if allowed and organization.org_type not in allowed:
        return (
            f"{organization.name} 是{OrgType(organization.org_type).label}，"
            f"不能作为“{NodeType(node_type).label}”节点"
        )
    return ""


def _check_level(level: str) -> None:
    if level not in TitleLevel.values:
        raise ApplicationError(f"职称等级“{level}”无效")


def _deregister(record: DeregistrableRecord, *, actor: User, reason: str, summary: str) -> None:
    """注销 an office or a route link (the 注销原因 is optional here)."""
    record_deregister(
        record,
        actor=actor,
        reason=reason,
        reason_required=False,
        already="该记录已注销，不能重复注销",
        summary=summary,
    )


def _save(record) -> None:
    """full_clean and save; a lost race on a unique constraint becomes a clear message."""
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ApplicationError("数据已被他人修改（重复记录），请刷新后重试") from None

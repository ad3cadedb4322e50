"""Writes of 1.3 职称初定/认定受理机构管理 (acceptance offices)."""

from __future__ import annotations

from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization
from zhicheng.routing.models import OFFICE_METHODS, AcceptanceOffice

from ._common import _deregister, _save, check_org_in_scope, node_type_problem

NOTICE_MAX_CHARS = 20_000


def office_problem(
    *,
    organization: Organization,
    node_type: str,
    level: str,
    acquisition_method: str,
    exclude_pk: int | None = None,
) -> str:
    """Why this office cannot be saved ("" when it can). Scope is checked by the caller."""
    if acquisition_method not in OFFICE_METHODS:
        return "取得方式只能是初定或认定"
    if level not in TitleLevel.values:
        return f"职称等级“{level}”无效"
    if not organization.is_active:
        return f"机构 {organization.name} 已注销，不能设为受理机构"
    problem = node_type_problem(node_type, organization)
    if problem:
        return problem
    duplicate = (
        AcceptanceOffice.objects.active()
        .filter(organization=organization, level=level, acquisition_method=acquisition_method)
        .exclude(pk=exclude_pk)
    )
    if duplicate.exists():
        return (
            f"{organization.name} 已是{TitleLevel(level).label}"
            f"{AcquisitionMethod(acquisition_method).label}的受理机构"
        )
    return ""


@transaction.atomic
def acceptance_office_create(
    *,
    actor: User,
    organization: Organization,
    node_type: str,
    level: str,
    acquisition_method: str,
    notice: str = "",
) -> AcceptanceOffice:
    require_perm(actor, "routing.add_acceptanceoffice")
    check_org_in_scope(actor=actor, organization=organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    problem = office_problem(
        organization=organization,
        node_type=node_type,
        level=level,
        acquisition_method=acquisition_method,
    )
    if problem:
        raise ApplicationError(problem)
    office = AcceptanceOffice(
        organization=organization,
        node_type=node_type,
        level=level,
        acquisition_method=acquisition_method,
        notice=_clean_notice(notice),
        created_by=actor,
    )
    _save(office)
    return office


def _lock_office(*, actor: User, office: AcceptanceOffice) -> AcceptanceOffice:
    locked = (
        scoped(AcceptanceOffice.objects.select_for_update(), actor).filter(pk=office.pk).first()
    )
    if locked is None:
        raise ApplicationError("受理机构不存在或不在您的管辖范围内")
    return locked


@transaction.atomic
def acceptance_office_update(
    *,
    actor: User,
    office: AcceptanceOffice,
    organization: Organization | None = None,
    node_type: str | None = None,
    level: str | None = None,
    acquisition_method: str | None = None,
) -> AcceptanceOffice:
    require_perm(actor, "routing.change_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    if not office.is_active:
        raise ApplicationError("已注销的受理机构不能修改")
    if organization is not None and organization.pk != office.organization_id:
        check_org_in_scope(actor=actor, organization=organization)
        office.organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if node_type is not None:
        office.node_type = node_type
    if level is not None:
        office.level = level
    if acquisition_method is not None:
        office.acquisition_method = acquisition_method
    problem = office_problem(
        organization=office.organization,
        node_type=office.node_type,
        level=office.level,
        acquisition_method=office.acquisition_method,
        exclude_pk=office.pk,
    )
    if problem:
        raise ApplicationError(problem)
    _save(office)
    return office


def _clean_notice(notice: str) -> str:
    text = (notice or "").replace("\r\n", "\n").strip()
    if len(text) > NOTICE_MAX_CHARS:
        raise ApplicationError(f"申报须知最多{NOTICE_MAX_CHARS}字，当前{len(text)}字")
    return text


@transaction.atomic
def acceptance_office_notice_update(
    *, actor: User, office: AcceptanceOffice, notice: str
) -> AcceptanceOffice:
    """申报须知: stored as text; shown through ``notice_html`` (escaped, light formatting)."""
    require_perm(actor, "routing.change_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    if not office.is_active:
        raise ApplicationError("已注销的受理机构不能修改申报须知")
    office.notice = _clean_notice(notice)
    office.save(update_fields=["notice", "updated_at"])
    return office


@transaction.atomic
def acceptance_office_deregister(
    *, actor: User, office: AcceptanceOffice, reason: str = ""
) -> AcceptanceOffice:
    """注销: the office accepts no new applications; the row and its history stay."""
    require_perm(actor, "routing.deregister_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    _deregister(office, actor=actor, reason=reason, summary=f"注销受理机构 {office}")
    return office

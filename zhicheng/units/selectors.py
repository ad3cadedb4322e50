"""Reads of 用人单位 (issue 14), always scoped: the 主管单位's officers (and the levels above) see
the registrations under them; a unit's officers see their own unit's 内部公示."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.common import workdays
from zhicheng.common.query import clean_text
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.orgs.models import Organization, OrgStatus
from zhicheng.units.models import RegistrationStatus, UnitPublicity, UnitRegistration

COMPETENT_SEARCH_LIMIT = 20


def competent_search(*, search: str) -> list[Organization]:
    """主管单位 typeahead of the public registration page: active competent departments and HR
    bureaus by name, USCC prefix or pinyin initials."""
    from zhicheng.units.services import COMPETENT_ORG_TYPES

    term = clean_text(search, max_length=100)
    if not term:
        return []
    match = Q(name__contains=term)
    if term.isascii():
        match |= Q(uscc__startswith=term.upper()) | Q(name_initials__contains=term.lower())
    return list(
        Organization.objects.filter(
            match, org_type__in=COMPETENT_ORG_TYPES, status=OrgStatus.ACTIVE
        ).order_by("path")[:COMPETENT_SEARCH_LIMIT]
    )


def competent_get(pk) -> Organization | None:
    from zhicheng.common.query import id_or_none
    from zhicheng.units.services import COMPETENT_ORG_TYPES

    pk = id_or_none(pk)
    if pk is None:
        return None
    return Organization.objects.filter(
        pk=pk, org_type__in=COMPETENT_ORG_TYPES, status=OrgStatus.ACTIVE
    ).first()


def unit_registration_list(
    *, user: User, name: str = "", uscc: str = "", status: str = ""
) -> QuerySet[UnitRegistration]:
    """单位注册审核: the registrations whose 主管单位 lies in the user's subtree, pending first."""
    qs = scoped(UnitRegistration.objects.select_related("competent", "decided_by", "account"), user)
    if name:
        qs = qs.filter(name__contains=name)
    if uscc:
        qs = qs.filter(uscc__startswith=uscc.upper())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def unit_registration_get(*, user: User, pk) -> UnitRegistration:
    return get_scoped_or_404(
        UnitRegistration.objects.select_related("competent", "decided_by", "account"), user, pk
    )


def registration_state_for_login(username: str, password: str) -> str:
    """What a unit's login is told while its registration is pending or refused ("" when it
    is not such a login, or the password is wrong: nothing is revealed then)."""
    account = User.objects.filter(username__iexact=(username or "").strip()).first()
    if account is None or account.is_active or not account.check_password(password or ""):
        return ""
    reg = (
        UnitRegistration.objects.select_related("competent")
        .filter(account=account)
        .order_by("-created_at", "-pk")
        .first()
    )
    return reg.state_message if reg is not None else ""


# --- 单位内部公示 -------------------------------------------------------------------------------


def unit_publicity_list(*, user: User) -> QuerySet[UnitPublicity]:
    return (
        scoped(UnitPublicity.objects.select_related("organization", "recorded_by"), user)
        .prefetch_related("applications__person", "applications__title")
        .order_by("-starts_on", "-pk")
    )


def unit_publicity_get(*, user: User, pk) -> UnitPublicity:
    return get_scoped_or_404(
        UnitPublicity.objects.select_related("organization", "recorded_by"), user, pk
    )


def publicity_candidates(*, user: User) -> QuerySet[Application]:
    """The applications waiting at the user's unit (the first level of their route)."""
    if not user.has_role(Role.EMPLOYER_OFFICER) or user.organization_id is None:
        return Application.objects.none()
    return (
        Application.objects.filter(
            status=ApplicationStatus.UNDER_REVIEW,
            current_organization_id=user.organization_id,
            route_position=0,
        )
        .select_related("person", "title", "specialty", "employer")
        .order_by("submitted_at", "pk")
    )


def publicity_sheet(*, user: User, publicity: int | None = None) -> QuerySet[Application]:
    """公示表 (申报综合情况): the applications of one of the unit's publicities, or — without
    ``publicity`` — every application waiting at the unit (the table to publish next)."""
    if publicity:
        found = scoped(UnitPublicity.objects.filter(pk=publicity), user).first()
        if found is None:
            return Application.objects.none()
        return (
            found.applications.select_related("person", "title", "specialty", "employer")
            .order_by("pk")
            .all()
        )
    return publicity_candidates(user=user)


def unit_publicity_problem(app: Application, *, today: dt.date | None = None) -> str:
    """Why the unit may not recommend (approve) ``app`` yet: "" once a 单位内部公示 including
    it has ended and its result is uploaded (or when the setting turns the rule off)."""
    if not settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED:
        return ""
    today = today or workdays.today()
    publicities = list(
        UnitPublicity.objects.filter(
            applications=app, organization_id=app.current_organization_id
        ).order_by("-ends_on")
    )
    if any(p.has_result and p.ended(today) for p in publicities):
        return ""
    if not publicities:
        return "推荐前须进行单位内部公示：请先导出公示表、登记公示日期（不少于5个工作日）"
    latest = publicities[0]
    if not latest.ended(today):
        return f"单位内部公示期至{latest.ends_on:%Y-%m-%d}，期满后方可推荐"
    return "单位内部公示已期满，请上传盖章的公示结果扫描件并填写推荐意见后再推荐"


def is_own_application(user: User, app: Application) -> bool:
    """A person cannot be the 职称管理员 (reviewer) of their own application: the same login,
    the login linked to the applicant's person, or an officer account of the same person
    (same real name and mobile number as the applicant's)."""
    if app.applicant_id == user.pk:
        return True
    person = app.person
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return bool(
        user.real_name
        and user.phone
        and user.real_name == person.name
        and user.phone == (person.mobile or "")
    )


def registration_status_label(status: str) -> str:
    return RegistrationStatus(status).label if status in RegistrationStatus.values else ""

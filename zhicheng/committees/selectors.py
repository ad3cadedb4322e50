"""Reads of committees, always scoped.

Two scopes:

- **managed** (:func:`committee_managed`) — what an HR officer may change (1.10 评委会管理): the
  committees whose managing bureau lies in the officer's subtree (``scoped``), for holders of
  the change permission only (plan reviewers of the province read everything, change nothing).
- **readable** (:func:`committee_readable`) — what a user may look at (1.11 评委会查询): the
  managed ones plus, for officers, the committees managed by the bureaus *above* their own
  organization (a city bureau sees the province's committees its applicants are routed to, but
  cannot change them) — for holders of the view permission only (not employers). A committee
  account reads only its own committee.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.committees.models import (
    HANDOUT_TTL,
    AccountHandout,
    Committee,
    CommitteeOrganizer,
    CommitteeSpecialty,
    FeeStandard,
)
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization

VIEW_PERMISSION = "committees.view_committee"
CHANGE_PERMISSION = "committees.change_committee"


class Validity:
    """Values of the 有效状态 filter."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET = "not_yet"

    choices = [(VALID, "有效期内"), (EXPIRED, "已过期"), (NOT_YET, "未生效")]


def _ancestor_paths(user: User) -> list[str]:
    org = user.organization
    if org is None:
        return []
    step = Organization.steplen
    return [org.path[:i] for i in range(step, len(org.path), step)]


def committee_managed(user: User | None) -> QuerySet[Committee]:
    """Committees the user may change: officers holding the change permission, in their
    organization's subtree."""
    if (
        user is None
        or not getattr(user, "is_officer", False)
        or not user.has_perm(CHANGE_PERMISSION)
    ):
        return Committee.objects.none()
    return scoped(Committee.objects.all(), user)


def committee_readable(user: User | None) -> QuerySet[Committee]:
    """Committees the user may see (managed + those of superior bureaus; own for a committee)."""
    visible = scoped(Committee.objects.all(), user)
    if (
        user is not None
        and getattr(user, "is_officer", False)
        and user.is_active
        and user.has_perm(VIEW_PERMISSION)
    ):
        ancestors = _ancestor_paths(user)
        if ancestors:
            visible = visible | Committee.objects.filter(organization__path__in=ancestors)
    return visible


def committee_list(
    *,
    user: User,
    managed: bool = False,
    name: str = "",
    account: str = "",
    level: str = "",
    series: int | str | None = None,
    approval_number: str = "",
    status: str = "",
    validity: str = "",
    today: dt.date | None = None,
) -> QuerySet[Committee]:
    qs = committee_managed(user) if managed else committee_readable(user)
    if name:
        qs = qs.filter(name__contains=name.strip())
    if account:
        qs = qs.filter(account__username__icontains=account.strip())
    if level:
        qs = qs.filter(level=level)
    if series:
        qs = qs.filter(series_id=series)
    if approval_number:
        qs = qs.filter(approval_number__contains=approval_number.strip())
    if status:
        qs = qs.filter(status=status)
    if validity:
        day = today or timezone.localdate()
        if validity == Validity.VALID:
            qs = qs.filter(valid_from__lte=day, valid_until__gte=day)
        elif validity == Validity.EXPIRED:
            qs = qs.filter(valid_until__lt=day)
        elif validity == Validity.NOT_YET:
            qs = qs.filter(valid_from__gt=day)
    return qs.select_related("series", "series__parent", "organization", "account").order_by(
        "-created_at", "-pk"
    )


def committee_get(*, user: User, pk) -> Committee:
    """A readable committee, or 404 (missing and out of scope look the same)."""
    try:
        return (
            committee_readable(user)
            .select_related("series", "series__parent", "organization", "account")
            .get(pk=pk)
        )
    except (Committee.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None


def committee_get_for_manage(*, user: User, pk) -> Committee:
    """A committee the user may change; 403 if only readable, 404 if not even that."""
    committee = committee_get(user=user, pk=pk)
    if not committee_managed(user).filter(pk=committee.pk).exists():
        raise PermissionDenied("该评委会不归您所在机构管理，只能查看")
    return committee


def committee_for_account(*, user: User) -> Committee | None:
    """The committee a committee account logs in for (its workspace)."""
    if not getattr(user, "is_committee", False):
        return None
    return (
        scoped(Committee.objects.all(), user)
        .select_related("series", "series__parent", "organization", "account")
        .first()
    )


def committee_specialty_list(*, committee: Committee) -> QuerySet[CommitteeSpecialty]:
    return committee.specialty_links.select_related("specialty").order_by("pk")


def committee_organizer_list(*, committee: Committee) -> QuerySet[CommitteeOrganizer]:
    return committee.organizer_links.select_related("organization").order_by("pk")


def fee_standard_list(*, committee: Committee) -> QuerySet[FeeStandard]:
    return committee.fees.order_by("pk")


def committee_with_counts(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    return qs.annotate(
        specialty_count=Count("specialty_links", distinct=True),
        organizer_count=Count("organizer_links", distinct=True),
        fee_count=Count("fees", distinct=True),
    )


def committees_accepting_work(
    *, user: User | None = None, level: str = "", series: int | None = None
) -> QuerySet[Committee]:
    """Committees that may receive new work (正常, within validity) — for routing, plans, ….

    With ``user`` the readable scope applies; without, it is an internal lookup (the caller is
    already inside a scoped action).
    """
    qs = committee_readable(user) if user is not None else Committee.objects.all()
    qs = qs.accepting_work()
    if level:
        qs = qs.filter(level=level)
    if series:
        qs = qs.filter(series_id=series)
    return qs


def organizer_organization_ids(*, committee: Committee) -> list[int]:
    """The organizations that formed a committee: the tops of its 评审 routes."""
    return list(committee.organizer_links.values_list("organization_id", flat=True))


def account_handout_pending(*, user: User) -> QuerySet[AccountHandout]:
    """The user's own initial-password files not yet downloaded and not expired."""
    cutoff = timezone.now() - HANDOUT_TTL
    return (
        scoped(AccountHandout.objects.all(), user)
        .filter(actor=user, downloaded_at__isnull=True, created_at__gte=cutoff)
        .exclude(entries=[])
    )


def account_handout_get(*, user: User, pk) -> AccountHandout:
    """One of the user's own initial-password files (downloaded or not), else 404."""
    try:
        return scoped(AccountHandout.objects.all(), user).get(pk=pk, actor=user)
    except (AccountHandout.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None

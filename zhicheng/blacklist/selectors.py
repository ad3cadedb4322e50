"""Reads of 黑名单管理 (guide 1.21), always scoped: a bureau sees the entries it or its
subordinate bureaus listed. (The blacklist *rule* — is this person barred? — is
:func:`zhicheng.blacklist.services.person_blacklist_block`, deliberately unscoped.)"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist.models import BlacklistEntry, state_q
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.persons.models import normalize_id_number
from zhicheng.persons.selectors import filter_by_name

_RELATED = ("person", "organization", "created_by", "lifted_by")


def blacklist_entry_list(
    *,
    user: User,
    name: str = "",
    id_number: str = "",
    reason: str = "",
    state: str = "",
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    on: dt.date | None = None,
) -> QuerySet[BlacklistEntry]:
    """The query of 1.21: 姓名 (a surname, or two or more characters anywhere), 身份证号 (prefix), 原因类别, 状态 (未生效 / 生效中 /
    已到期 / 已解除, on day ``on``, default today) and 开始日期 from–to, newest first."""
    qs = filter_by_name(
        scoped(BlacklistEntry.objects.select_related(*_RELATED), user), name, field="person__name"
    )
    if id_number:
        qs = qs.filter(person__id_number__startswith=normalize_id_number(id_number))
    if reason:
        qs = qs.filter(reason=reason)
    if state:
        qs = qs.filter(state_q(state, on or timezone.localdate()))
    if start_from:
        qs = qs.filter(start_date__gte=start_from)
    if start_to:
        qs = qs.filter(start_date__lte=start_to)
    return qs.order_by("-created_at", "-pk")


def blacklist_entry_get(*, user: User, pk) -> BlacklistEntry:
    return get_scoped_or_404(BlacklistEntry.objects.select_related(*_RELATED), user, pk)


def blacklist_entries_of_person(*, user: User, person_id: int) -> QuerySet[BlacklistEntry]:
    """The history of one person, as far as ``user`` may see it."""
    return (
        scoped(BlacklistEntry.objects.select_related(*_RELATED), user)
        .filter(person_id=person_id)
        .order_by("-start_date", "-pk")
    )

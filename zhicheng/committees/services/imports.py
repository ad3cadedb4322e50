"""批量导入 of committees and the one-time download of their initial passwords."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleSeries
from zhicheng.committees.models import (
    HANDOUT_TTL,
    MAX_VALIDITY_YEARS,
    AccountHandout,
    Committee,
    validity_limit,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record

from .lifecycle import account_name_problem, committee_create

USERNAME_VALIDATOR = UnicodeUsernameValidator()


@dataclass(frozen=True)
class CommitteeDraft:
    """One committee of an import file, after its cells were parsed."""

    name: str
    level: str
    series_id: int | None
    account: str
    approval_number: str
    valid_from: dt.date
    valid_until: dt.date


def committee_bulk_check(*, actor: User, drafts: list[CommitteeDraft]) -> dict[int, list[str]]:
    """The rules of :func:`committee_create` for a whole file with a handful of queries:
    accounts free (in the system and in the file, case-insensitive), names free among 正常
    committees and in the file, validity within 3 years. Returns {draft index: messages}."""
    errors: dict[int, list[str]] = {}

    def add(index: int, message: str) -> None:
        errors.setdefault(index, []).append(message)

    if not actor.is_officer or actor.organization_id is None:
        for index in range(len(drafts)):
            add(index, "只有归属机构的人社经办人员可以导入评委会")
        return errors
    lowered = {d.account.lower() for d in drafts}
    taken = {
        name.lower()
        for name in User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=lowered)
        .values_list("username", flat=True)
    }
    names_in_use = set(
        Committee.objects.active()
        .filter(name__in={d.name for d in drafts})
        .values_list("name", flat=True)
    )
    seen_accounts: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        key = draft.account.lower()
        if key in taken:
            add(index, f"评委会账号“{draft.account}”已被使用（与已有用户名重复）")
        elif key in seen_accounts:
            add(index, f"评委会账号“{draft.account}”与本文件第{seen_accounts[key]}条重复")
        else:
            seen_accounts[key] = index + 1
        try:
            USERNAME_VALIDATOR(draft.account)
        except ValidationError:
            add(index, "评委会账号只能包含字母、数字、汉字和 @ . + - _")
        if problem := account_name_problem(draft.account):
            add(index, problem)
        if draft.name in names_in_use:
            add(index, f"已存在名称为“{draft.name}”的正常状态评委会")
        elif draft.name in seen_names:
            add(index, f"评委会名称与本文件第{seen_names[draft.name]}条重复")
        else:
            seen_names[draft.name] = index + 1
        if draft.valid_until < draft.valid_from:
            add(index, "有效期止不能早于有效期起")
        elif draft.valid_until > validity_limit(draft.valid_from):
            add(
                index,
                f"有效期最长{MAX_VALIDITY_YEARS}年，有效期止不能晚于"
                f"{validity_limit(draft.valid_from):%Y-%m-%d}",
            )
        if draft.series_id is None:
            add(index, "职称系列不存在")
    return errors


@transaction.atomic
def committee_import(*, actor: User, drafts: list[CommitteeDraft]) -> AccountHandout:
    """Create the committees of an import (each with its login) and keep their generated
    passwords in one :class:`AccountHandout` the importer downloads once."""
    series = {s.pk: s for s in TitleSeries.objects.filter(pk__in={d.series_id for d in drafts})}
    entries = []
    for draft in drafts:
        committee, password = committee_create(
            actor=actor,
            name=draft.name,
            level=draft.level,
            series=series.get(draft.series_id),
            account_username=draft.account,
            approval_number=draft.approval_number,
            valid_from=draft.valid_from,
            valid_until=draft.valid_until,
        )
        entries.append(
            {"account": committee.account.username, "name": committee.name, "password": password}
        )
    _handouts_drop_expired(actor=actor)
    handout = AccountHandout(actor=actor, account_count=len(entries), entries=entries)
    handout.save()
    return handout


def _handouts_drop_expired(*, actor: User) -> None:
    cutoff = timezone.now() - HANDOUT_TTL
    AccountHandout.objects.filter(
        actor=actor, downloaded_at__isnull=True, created_at__lt=cutoff
    ).exclude(entries=[]).update(entries=[])


@transaction.atomic
def account_handout_claim(*, actor: User, handout: AccountHandout) -> list[dict[str, str]]:
    """Hand the initial passwords of an import to its importer — once. Returns the entries
    ({"account", "name", "password"}) and forgets them."""
    locked = AccountHandout.objects.select_for_update().filter(pk=handout.pk, actor=actor).first()
    if locked is None:
        raise ApplicationError("初始密码文件不存在或不是您导入的")
    if locked.downloaded_at is not None:
        raise ApplicationError("该初始密码文件已下载过，不能再次下载；如需密码请对评委会重置密码")
    if timezone.now() - locked.created_at > HANDOUT_TTL or not locked.entries:
        raise ApplicationError("该初始密码文件已过期，请对相应评委会重置密码")
    entries = list(locked.entries)
    locked.entries = []
    locked.downloaded_at = timezone.now()
    locked.save(update_fields=["entries", "downloaded_at"])
    operation_record(
        actor=actor,
        operation="export",
        obj=locked,
        summary=f"下载评委会初始密码文件（{len(entries)}个账号：{'、'.join(e['account'] for e in entries[:20])}"
        + ("等" if len(entries) > 20 else "")
        + "）",
    )
    return entries

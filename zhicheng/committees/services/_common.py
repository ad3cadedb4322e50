"""Steps shared by the committee services: lock a managed committee, refuse a deregistered one."""

from __future__ import annotations

from zhicheng.accounts.models import User
from zhicheng.committees.models import Committee
from zhicheng.committees.selectors import committee_managed
from zhicheng.common.errors import ApplicationError


def _lock_managed(*, actor: User, committee: Committee) -> Committee:
    locked = (
        committee_managed(actor)
        .select_for_update(of=("self",))
        .filter(pk=committee.pk)
        .select_related("account")
        .first()
    )
    if locked is None:
        raise ApplicationError("该评委会不存在或不归您所在机构管理")
    return locked


def _require_active(committee: Committee) -> None:
    if not committee.is_active:
        raise ApplicationError(f"评委会“{committee.name}”已注销，不能修改")


def _clean_text(value: str | None, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"请填写{label}")
    return text

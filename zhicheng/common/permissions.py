"""The permission check every service starts with (defence in depth: the pages and the API
check too, but a service is the one place every caller — page, API, import, job — passes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhicheng.common.errors import ApplicationError

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

NO_PERMISSION = "您没有执行此操作的权限"


def require_perm(
    actor: User | None,
    perm: str,
    message: str = NO_PERMISSION,
    *,
    error: type[Exception] = ApplicationError,
) -> None:
    """Refuse unless ``actor`` is an active, signed-in user holding ``perm``. ``error``:
    ``ApplicationError`` (a message on the form, 400 in the API) or ``PermissionDenied`` (403)."""
    if not (
        actor is not None and actor.is_authenticated and actor.is_active and actor.has_perm(perm)
    ):
        raise error(message)

"""Reads of users, always through the data scope (an administrator sees their subtree)."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.validators import contains_unless_id_number
from zhicheng.orgs.models import Organization


def user_list(
    *,
    user: User,
    username: str = "",
    real_name: str = "",
    organization: Organization | None = None,
    role: str = "",
    status: str = "",
) -> QuerySet[User]:
    """用户管理 list: ``organization`` matches its whole subtree; ``status`` is active/inactive."""
    qs = scoped(User.objects.all(), user)
    if username := (username or "").strip():
        qs = qs.filter(contains_unless_id_number("username", username, user=user))
    if real_name:
        qs = qs.filter(real_name__contains=real_name.strip())
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if role:
        qs = qs.filter(groups__name=Role(role).label)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return (
        qs.select_related("organization")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("id", "name")))
        .order_by("organization__path", "username")
    )


def user_get(*, user: User, pk) -> User:
    return get_scoped_or_404(User.objects.select_related("organization"), user, pk)


def role_labels_of(user: User) -> list[str]:
    """Role names from prefetched groups (no query per row), in the Role order."""
    names = {g.name for g in user.groups.all()}
    return [label for _code, label in Role.choices if label in names]

"""Reads of users, always through the data scope (an administrator sees their subtree; the
administrator of a top-level organization also the accounts of no organization — the
self-registered applicants — so that any account can be found, e.g. to reset its password)."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.scoping import get_or_404, scoped
from zhicheng.common.validators import contains_unless_id_number
from zhicheng.orgs.models import Organization

MANAGE_USERS = "accounts.manage_users"


def manageable_users(user: User, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """The accounts ``user`` administers: those of their subtree, and for an administrator of
    a top-level organization (the province) also those of no organization."""
    base = User.objects.all() if queryset is None else queryset
    visible = scoped(base, user)
    org = getattr(user, "organization", None)
    if (
        user.is_authenticated
        and user.is_active
        and user.has_perm(MANAGE_USERS)
        and org is not None
        and org.depth == 1
    ):
        visible = visible | base.filter(organization__isnull=True)
    return visible


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
    qs = manageable_users(user)
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
    return get_or_404(manageable_users(user, User.objects.select_related("organization")), pk)


def role_labels_of(user: User) -> list[str]:
    """Role names from prefetched groups (no query per row), in the Role order."""
    names = {g.name for g in user.groups.all()}
    return [label for _code, label in Role.choices if label in names]

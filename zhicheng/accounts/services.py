import secrets
import string

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import Organization


def generate_default_password(length: int = 12) -> str:
    """A strong random password meeting the complexity rules, shown once to the creator."""
    alphabet = string.ascii_letters + string.digits + "@#%&*"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        return candidate


def _set_roles(user: User, roles: list[str]) -> None:
    labels = [Role(code).label for code in roles]
    user.groups.set(Group.objects.filter(name__in=labels))
    user.__dict__.pop("role_codes", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    organization: Organization | None,
    roles: list[str],
    real_name: str = "",
    phone: str = "",
    password: str | None = None,
    must_change_password: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> tuple[User, str]:
    """Create a login. Without ``password`` a default one is generated; returns it once."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"用户名“{username}”已被使用")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ApplicationError(f"未知角色：{'、'.join(sorted(unknown))}")
    raw_password = password or generate_default_password()
    user = User(
        username=username,
        real_name=real_name,
        phone=phone,
        organization=organization,
        must_change_password=must_change_password,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    try:
        validate_password(raw_password, user)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages)) from None
    user.set_password(raw_password)
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles(user, roles)
    return user, raw_password


@transaction.atomic
def user_update(
    *,
    user: User,
    organization: Organization | None = None,
    roles: list[str] | None = None,
    real_name: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if organization is not None:
        user.organization = organization
    if real_name is not None:
        user.real_name = real_name
    if phone is not None:
        user.phone = phone
    if is_active is not None:
        user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    if roles is not None:
        _set_roles(user, roles)
    return user


@transaction.atomic
def user_reset_password(*, user: User) -> str:
    """Give the user a new default password they must change at next login."""
    raw_password = generate_default_password()
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(raw_password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return raw_password


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Called after the user set their own password: lift the forced-change flag."""
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )
    user.must_change_password = False

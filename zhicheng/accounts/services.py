import secrets
import string

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import GRANT_ADMIN_ROLE, Role, admin_roles_problem
from zhicheng.accounts.selectors import manageable_users
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization


def generate_default_password(length: int = 12, user: User | None = None) -> str:
    """A strong random password with every character class, shown once to the creator; checked
    against ``user``'s name too (a random draw can, rarely, resemble it)."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "@#%&*")
    alphabet = "".join(classes)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not all(any(c in cls for c in candidate) for cls in classes):
            continue
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def _check_organization_in_scope(*, actor: User | None, organization: Organization | None) -> None:
    """An administrator may place users only in organizations of their own subtree.

    ``actor=None`` is the system itself (demo loading, other services creating accounts)."""
    if actor is None:
        return
    if organization is None:
        raise ApplicationError("请选择所属机构")
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError("所属机构不在您的管辖范围内")
    if not organization.is_active:
        raise ApplicationError("所属机构已注销，不能在其下设置用户")


def _lock_user_in_scope(*, actor: User | None, user: User) -> User:
    qs = User.objects.all()
    if actor is not None:
        qs = manageable_users(actor, qs)
    # Locked in a query of its own: a scope widened by OR is not lockable as one on PostgreSQL.
    if not qs.filter(pk=user.pk).exists():
        raise ApplicationError("用户不存在或不在您的管辖范围内")
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:
        raise ApplicationError("用户不存在或不在您的管辖范围内")
    return locked


# --- API tokens ---------------------------------------------------------------------------------


def api_token_expired(token: Token) -> bool:
    """A token older than ZHICHENG_TOKEN_TTL_HOURS no longer authenticates."""
    return token.created <= timezone.now() - settings.ZHICHENG_TOKEN_TTL


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The user's API token (``POST /api/v1/auth/token/``): the current one while it is valid,
    a fresh one once it has expired (or was revoked)."""
    token = Token.objects.filter(user=user).first()
    if token is not None:
        if not api_token_expired(token):
            return token
        Token.objects.filter(pk=token.pk).delete()
    # get_or_create: two first logins at once share one token instead of one failing.
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_tokens_revoke(*, user: User) -> None:
    """Delete the user's API tokens: after a password change or reset and on deactivation, a
    token taken before must stop working (and reactivation must not bring it back)."""
    Token.objects.filter(user=user).delete()


def _check_admin_roles(*, actor: User | None, roles: list[str], before: list[str]) -> None:
    """三员分立 (accounts.roles): ``None`` (the system's own accounts) still holds one role each."""
    problem = admin_roles_problem(
        roles,
        before=before,
        may_grant_admin_roles=actor is None or actor.has_perm(GRANT_ADMIN_ROLE),
    )
    if problem:
        raise ApplicationError(problem)


def _set_roles(user: User, roles: list[str]) -> None:
    labels = [Role(code).label for code in roles]
    # A change sends m2m_changed, whose receiver (authz_cache.user_roles_changed) forgets the
    # cached roles and permissions, this object's included; no change, nothing to forget.
    user.groups.set(Group.objects.filter(name__in=labels))


@transaction.atomic
def user_create(
    *,
    actor: User | None = None,
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
    """Create a login. Without ``password`` a default one is generated; returns it once.

    ``actor`` (an administrator) may only create users in organizations of their subtree;
    ``None`` means the system (demo data, accounts created by other services)."""
    username = username.strip()
    if actor is not None and not roles:
        raise ApplicationError("请至少选择一个角色")
    _check_organization_in_scope(actor=actor, organization=organization)
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"用户名“{username}”已被使用")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ApplicationError(f"未知角色：{'、'.join(sorted(unknown))}")
    _check_admin_roles(actor=actor, roles=roles, before=[])
    user = User(
        username=username,
        real_name=real_name,
        phone=phone,
        organization=organization,
        must_change_password=must_change_password,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    raw_password = password or generate_default_password(user=user)
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
    actor: User | None = None,
    user: User,
    organization: Organization | None = None,
    roles: list[str] | None = None,
    real_name: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a user's organization, roles, name or phone (``None`` leaves a value alone).

    With an ``actor`` the user and the new organization must lie in the actor's subtree, and
    nobody changes their own roles (三员分立: an administrator cannot make themselves auditor).
    """
    user = _lock_user_in_scope(actor=actor, user=user)
    if actor is not None and user.pk == actor.pk:
        if roles is not None and set(roles) != set(user.role_codes):
            raise ApplicationError("不能修改本人的角色")
        if is_active is False:
            raise ApplicationError("不能停用本人账号")
    if roles is not None:
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise ApplicationError(f"未知角色：{'、'.join(sorted(unknown))}")
        if actor is not None and not roles:
            raise ApplicationError("请至少选择一个角色")
        _check_admin_roles(actor=actor, roles=roles, before=list(user.role_codes))
    if organization is not None:
        if organization.pk != user.organization_id:
            _check_organization_in_scope(actor=actor, organization=organization)
        user.organization = organization
    if real_name is not None:
        user.real_name = real_name
    if phone is not None:
        user.phone = phone
    if is_active is not None:
        user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    if is_active is False:
        api_tokens_revoke(user=user)
    if roles is not None:
        _set_roles(user, roles)
    return user


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, is_active: bool) -> User:
    """停用 / 启用 a login. A deactivated user cannot sign in; their records stay."""
    user = _lock_user_in_scope(actor=actor, user=user)
    if actor is not None and user.pk == actor.pk and not is_active:
        raise ApplicationError("不能停用本人账号")
    if user.is_active == is_active:
        raise ApplicationError(f"该用户已{'启用' if is_active else '停用'}")
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if not is_active:
        api_tokens_revoke(user=user)
    operation_record(
        actor=actor,
        operation="activate" if is_active else "deactivate",
        obj=user,
        summary=f"{'启用' if is_active else '停用'}用户 {user.username}",
        changes={"is_active": [str(not is_active), str(is_active)]},
    )
    return user


@transaction.atomic
def user_reset_password(*, actor: User | None = None, user: User) -> str:
    """Give the user a new default password they must change at next login; returns it once.

    A lockout for failed logins is lifted too: the administrator has just verified the person.
    """
    user = _lock_user_in_scope(actor=actor, user=user)
    raw_password = generate_default_password(user=user)
    user_password_replace(
        actor=actor,
        user=user,
        password=raw_password,
        must_change=True,
        summary=f"重置用户 {user.username} 的密码",
    )
    return raw_password


def user_password_replace(
    *, actor: User | None, user: User, password: str, must_change: bool, summary: str
) -> None:
    """The one way a password is replaced on someone's behalf (an administrator's reset, an
    applicant's 忘记密码): tokens taken with the old one are revoked, a lockout is lifted, and
    the step is logged. The caller has locked ``user`` in its transaction."""
    user.set_password(password)
    user.must_change_password = must_change
    user.save(update_fields=["password", "must_change_password"])
    api_tokens_revoke(user=user)
    operation_record(actor=actor, operation="reset_password", obj=user, summary=summary)
    transaction.on_commit(lambda: axes_reset(username=user.username))


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Called after the user set their own password: lift the forced-change flag and revoke
    the API tokens taken with the old one."""
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )
    api_tokens_revoke(user=user)
    user.must_change_password = False

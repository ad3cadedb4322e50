from functools import cached_property

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from zhicheng.accounts.roles import OFFICER_ROLES, Role
from zhicheng.accounts.usernames import username_key
from zhicheng.common.scoping import scope_rule


class CaseInsensitiveUserManager(UserManager):
    """Logins ignore case: applicants' user names are 身份证号 stored with an upper-case X.
    The lookup uses the key the lockout counts by (accounts.usernames)."""

    def get_by_natural_key(self, username):
        return self.alias(username_key=Lower(self.model.USERNAME_FIELD)).get(
            username_key=username_key(username)
        )


@scope_rule(org_path="organization__path", owner="pk")
class User(AbstractUser):
    """A login. Belongs to one organization; its roles are groups named by role label."""

    objects = CaseInsensitiveUserManager()

    real_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="所属机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [
            ("manage_users", "管理用户、角色与所属机构"),
            ("grant_admin_role", "授予或取消三员（系统、安全、审计管理员）角色"),
            ("view_full_id_number", "查看完整身份证号"),
            ("view_operation_log", "查看操作日志"),
            ("view_login_log", "查看登录日志"),
        ]
        constraints = [
            # Logins ignore case (CaseInsensitiveUserManager): so must uniqueness. The services
            # check first with a friendlier message; this catches two requests at once.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="用户名已被使用（不区分大小写）",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        labels = {label: code for code, label in Role.choices}
        if self.pk is None:
            return frozenset()
        from zhicheng.accounts.authz_cache import cached_authz

        return frozenset(labels[n] for n in cached_authz(self)["groups"] if n in labels)

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in Role.values if code in self.role_codes]

    @property
    def is_officer(self) -> bool:
        return bool(self.role_codes & OFFICER_ROLES)

    @property
    def is_applicant(self) -> bool:
        return Role.APPLICANT in self.role_codes

    @property
    def is_committee(self) -> bool:
        return Role.COMMITTEE in self.role_codes


# Applicants' user names are their 身份证号: the operation log keeps those masked.
auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
    mask_fields=["username"],
    mask_callable="zhicheng.common.validators.mask_if_id_number",
)

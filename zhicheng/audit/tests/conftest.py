import pytest

from zhicheng.accounts.roles import Role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs most of a second per hash; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def auditor(orgs, make_user):
    """审计管理员 of the province bureau (the top of the tree)."""
    return make_user(orgs["province"], Role.AUDIT_ADMIN, username="t_auditor")


@pytest.fixture
def city_auditor(orgs, make_user):
    """审计管理员 of the Nanjing city bureau."""
    return make_user(orgs["city_nj"], Role.AUDIT_ADMIN, username="t_city_auditor")


@pytest.fixture
def superuser(orgs, make_user):
    return make_user(
        orgs["province"], Role.SYSTEM_ADMIN, username="t_root", is_staff=True, is_superuser=True
    )

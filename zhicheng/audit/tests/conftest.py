import pytest

from zhicheng.accounts.roles import Role


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

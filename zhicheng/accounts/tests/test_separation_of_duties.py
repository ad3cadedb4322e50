"""三员分立 (issue 15): system admin, security admin and audit admin are three people, and only
the security admin grants or withdraws one of those roles."""

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.accounts import services
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import ADMIN_ROLES, Role
from zhicheng.common.errors import ApplicationError


@pytest.fixture
def system_admin(orgs, make_user):
    return make_user(orgs["province"], Role.SYSTEM_ADMIN, username="t_sys")


@pytest.fixture
def security_admin(orgs, make_user):
    return make_user(orgs["province"], Role.SECURITY_ADMIN, username="t_sec")


@pytest.fixture
def officer(orgs, make_user):
    return make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_officer")


def create(actor, orgs, username, roles):
    return services.user_create(
        actor=actor, username=username, organization=orgs["province"], roles=roles
    )[0]


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_the_system_admin_cannot_grant_an_admin_role(system_admin, orgs, officer, role):
    with pytest.raises(ApplicationError, match="只能由安全管理员授予"):
        create(system_admin, orgs, "t_new", [role])
    with pytest.raises(ApplicationError, match="只能由安全管理员授予"):
        services.user_update(actor=system_admin, user=officer, roles=[Role.HR_OFFICER, role])
    assert not User.objects.filter(username="t_new").exists()
    assert officer.role_codes == {Role.HR_OFFICER}


def test_the_system_admin_still_manages_other_roles(system_admin, orgs, officer):
    user = create(system_admin, orgs, "t_new", [Role.HR_OFFICER])
    services.user_update(actor=system_admin, user=user, roles=[Role.PLAN_REVIEWER])
    assert User.objects.get(pk=user.pk).role_codes == {Role.PLAN_REVIEWER}


def test_the_security_admin_grants_and_withdraws_admin_roles(security_admin, orgs, officer):
    auditor = create(security_admin, orgs, "t_auditor", [Role.AUDIT_ADMIN])
    assert auditor.role_codes == {Role.AUDIT_ADMIN}
    services.user_update(actor=security_admin, user=auditor, roles=[Role.HR_OFFICER])
    assert User.objects.get(pk=auditor.pk).role_codes == {Role.HR_OFFICER}


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN],
        [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
    ],
)
def test_nobody_holds_two_admin_roles(security_admin, orgs, officer, roles):
    with pytest.raises(ApplicationError, match="不能由同一人兼任"):
        create(security_admin, orgs, "t_two", roles)
    with pytest.raises(ApplicationError, match="不能由同一人兼任"):
        services.user_update(actor=security_admin, user=officer, roles=roles)
    # Not even the system's own accounts (demo data, other services).
    with pytest.raises(ApplicationError, match="不能由同一人兼任"):
        create(None, orgs, "t_two", roles)


def test_the_security_admin_cannot_change_their_own_roles(security_admin):
    with pytest.raises(ApplicationError, match="本人"):
        services.user_update(
            actor=security_admin, user=security_admin, roles=[Role.SECURITY_ADMIN, Role.HR_OFFICER]
        )


def test_neither_admin_reads_the_audit_log(system_admin, security_admin):
    for user in (system_admin, security_admin):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("audit:operation-log-list")).status_code == 403
        assert client.get(reverse("audit:login-log-list")).status_code == 403


def test_the_edit_page_names_the_rule(security_admin, system_admin, officer):
    client = Client()
    client.force_login(system_admin)
    url = reverse("accounts:user-update", args=[officer.pk])
    response = client.post(
        url,
        {
            "organization": officer.organization_id,
            "real_name": officer.real_name or "经办",
            "phone": "",
            "roles": [Role.HR_OFFICER, Role.AUDIT_ADMIN],
        },
    )
    assert response.status_code == 200
    assert "只能由安全管理员授予" in response.content.decode()
    assert User.objects.get(pk=officer.pk).role_codes == {Role.HR_OFFICER}

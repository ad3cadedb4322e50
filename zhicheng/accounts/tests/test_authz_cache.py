"""Roles and permissions are cached between requests, and a change of roles is seen at once."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_update


def fresh(user: User) -> User:
    """The user as the next request loads it (nothing cached on the instance)."""
    return User.objects.get(pk=user.pk)


def test_the_second_request_reads_roles_and_permissions_from_the_cache(hr_city):
    first = fresh(hr_city)
    assert first.is_officer and first.has_perm("applications.review_application")
    second = fresh(hr_city)
    with CaptureQueriesContext(connection) as ctx:
        assert second.is_officer and second.has_perm("applications.review_application")
    assert len(ctx.captured_queries) == 0


def test_a_change_of_roles_is_seen_by_the_next_request(hr_city):
    assert fresh(hr_city).has_perm("applications.review_application")
    user_update(user=hr_city, roles=[Role.AUDIT_ADMIN])
    changed = fresh(hr_city)
    assert not changed.has_role(Role.HR_OFFICER) and changed.has_role(Role.AUDIT_ADMIN)
    assert not changed.has_perm("applications.review_application")
    assert changed.has_perm("accounts.view_operation_log")


def test_the_user_the_service_returns_has_forgotten_its_old_roles(hr_city):
    # user_update reads the locked user's roles (三员分立's checks) before it changes them.
    updated = user_update(user=fresh(hr_city), roles=[Role.AUDIT_ADMIN])
    assert updated.role_codes == {Role.AUDIT_ADMIN}
    assert updated.has_perm("accounts.view_operation_log")


def test_roles_changed_from_the_group_side_are_seen_too(hr_city):
    assert fresh(hr_city).is_officer
    Group.objects.get(name=Role.HR_OFFICER.label).user_set.remove(hr_city)
    assert not fresh(hr_city).is_officer


def test_a_change_of_what_a_role_may_do_reaches_every_user(hr_city, hr_province):
    for user in (hr_city, hr_province):
        assert fresh(user).has_perm("applications.review_application")
    review = Permission.objects.get(codename="review_application")
    Group.objects.get(name=Role.HR_OFFICER.label).permissions.remove(review)
    for user in (hr_city, hr_province):
        assert not fresh(user).has_perm("applications.review_application")


def test_a_deactivated_user_has_no_permission_even_when_cached(hr_city):
    assert fresh(hr_city).has_perm("applications.review_application")
    User.objects.filter(pk=hr_city.pk).update(is_active=False)
    assert not fresh(hr_city).has_perm("applications.review_application")

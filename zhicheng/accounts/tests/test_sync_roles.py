"""Roles as groups: every role's group holds exactly its permissions after a migrate, and the
post_migrate receiver syncs once per migrate (on the last app's signal), not once per app."""

from django.apps import apps
from django.contrib.auth.models import Group

from zhicheng.accounts.roles import ROLE_PERMISSIONS, Role, post_migrate_last_app, sync_roles


def _held(role: Role) -> set[str]:
    group = Group.objects.get(name=role.label)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_every_role_holds_exactly_its_permissions(db):
    for role in Role:
        assert _held(role) == set(ROLE_PERMISSIONS[role]), role


def test_only_the_last_apps_signal_syncs(db, django_assert_num_queries):
    last = post_migrate_last_app()
    others = [config for config in apps.get_app_configs() if config is not last]
    officer = Group.objects.get(name=Role.HR_OFFICER.label)
    officer.permissions.clear()
    with django_assert_num_queries(0):
        for config in others:
            sync_roles(sender=config, app_config=config)
    assert not officer.permissions.exists()
    sync_roles(sender=last, app_config=last)
    assert _held(Role.HR_OFFICER) == set(ROLE_PERMISSIONS[Role.HR_OFFICER])
    officer.permissions.clear()
    sync_roles()  # called directly (the benchmarks' set-up): always syncs
    assert _held(Role.HR_OFFICER) == set(ROLE_PERMISSIONS[Role.HR_OFFICER])

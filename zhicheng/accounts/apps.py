from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhicheng.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zhicheng.accounts.authz_cache import connect_signals

        connect_signals()

        from zhicheng.accounts.roles import sync_roles

        # For every app's signal, not only this one's: sync_roles acts on the last app's, once
        # the permissions of apps migrated later (orgs, committees, …) exist.
        post_migrate.connect(sync_roles, dispatch_uid="zhicheng.accounts.sync_roles")

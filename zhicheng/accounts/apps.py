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

        # After every app, not only this one: permissions of apps migrated later (orgs,
        # committees, …) exist only once their own post_migrate has run. Idempotent.
        post_migrate.connect(sync_roles, dispatch_uid="zhicheng.accounts.sync_roles")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhicheng.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zhicheng.accounts.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)

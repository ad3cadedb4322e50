from django.apps import AppConfig


class BlacklistConfig(AppConfig):
    name = "zhicheng.blacklist"
    label = "blacklist"
    verbose_name = "黑名单"

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "zhicheng.inbox"
    label = "inbox"
    verbose_name = "消息"

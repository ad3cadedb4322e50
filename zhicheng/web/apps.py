from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhicheng.web"
    label = "web"
    verbose_name = "界面"

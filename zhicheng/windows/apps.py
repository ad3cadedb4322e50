from django.apps import AppConfig


class WindowsConfig(AppConfig):
    name = "zhicheng.windows"
    label = "windows"
    verbose_name = "申报批次"

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "zhicheng.units"
    label = "units"
    verbose_name = "用人单位"

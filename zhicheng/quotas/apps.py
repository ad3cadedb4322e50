from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "zhicheng.quotas"
    label = "quotas"
    verbose_name = "职数申报"

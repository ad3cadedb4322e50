from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhicheng.catalog"
    label = "catalog"
    verbose_name = "职称专业与职称树"

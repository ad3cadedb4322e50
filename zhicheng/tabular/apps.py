from django.apps import AppConfig


class TabularConfig(AppConfig):
    name = "zhicheng.tabular"
    label = "tabular"
    verbose_name = "Excel 导入导出"

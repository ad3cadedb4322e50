from django.apps import AppConfig


class TabularConfig(AppConfig):
    name = "zhicheng.tabular"
    label = "tabular"
    verbose_name = "Excel 导入导出"

    def ready(self) -> None:
        # Each app declares its import/export specs in ``<app>/tabular.py``.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tabular")

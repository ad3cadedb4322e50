from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "zhicheng.filings"
    label = "filings"
    verbose_name = "评后公示与结果备案"

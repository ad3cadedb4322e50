from django.apps import AppConfig


class TitlesConfig(AppConfig):
    name = "zhicheng.titles"
    label = "titles"
    verbose_name = "取得职称"

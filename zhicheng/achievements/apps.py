from django.apps import AppConfig


class AchievementsConfig(AppConfig):
    name = "zhicheng.achievements"
    label = "achievements"
    verbose_name = "个人业绩库与申报材料清单"

from django.apps import AppConfig


class ReviewFormsConfig(AppConfig):
    name = "zhicheng.reviewforms"
    label = "reviewforms"
    verbose_name = "评审表"

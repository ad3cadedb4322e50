from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "zhicheng.persons"
    label = "persons"
    verbose_name = "人员"

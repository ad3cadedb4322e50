from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "zhicheng.routing"
    label = "routing"
    verbose_name = "受理机构与审核路径"

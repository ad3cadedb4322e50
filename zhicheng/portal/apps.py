from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The composition root: the one package that imports every app (menu, home, demo data,
    URL and API wiring). Nothing imports it back."""

    name = "zhicheng.portal"
    label = "portal"
    verbose_name = "门户"

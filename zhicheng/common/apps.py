from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The shared plumbing (no tables of its own). ``ready`` sets the API-wide input rules."""

    name = "zhicheng.common"
    label = "common"
    verbose_name = "公共"

    def ready(self) -> None:
        from zhicheng.common.api import refuse_non_text_for_text_fields

        refuse_non_text_for_text_fields()

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhicheng.audit"
    label = "audit"
    verbose_name = "操作日志"

    def ready(self) -> None:
        from zhicheng.audit import signals  # noqa: F401  (receivers: actor/IP, append-only)
        from zhicheng.audit.registry import exclude_reverse_relations

        exclude_reverse_relations()

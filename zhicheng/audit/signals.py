"""Operation-log receivers: fill in actor and IP; refuse changing or deleting an entry.

The database refuses it too (trigger in migration 0001), so ``QuerySet.update()`` and raw SQL
cannot rewrite history either.
"""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from zhicheng.audit.middleware import current_request

APPEND_ONLY_MESSAGE = "操作日志只能追加，任何人（包括管理员）都不能修改或删除"


class AuditLogAppendOnly(PermissionDenied):
    """Raised on any attempt to change or delete an operation-log entry."""

    def __init__(self) -> None:
        super().__init__(APPEND_ONLY_MESSAGE)


@receiver(pre_save, sender=LogEntry, dispatch_uid="zhicheng_audit_fill_context")
def fill_request_context(sender, instance: LogEntry, **kwargs) -> None:
    """Actor and client IP from the request being served, read at save time.

    At save time DRF has already authenticated the request (session or token) and put the user
    on the Django request, so token API writes get their actor too. Values set explicitly by
    the caller (``operation_record(actor=..., remote_addr=...)``) are kept.
    """
    if not instance._state.adding:
        return
    request = current_request()
    if request is None:
        return
    if instance.actor_id is None:
        user = getattr(request, "user", None)
        if isinstance(user, get_user_model()) and user.is_authenticated:
            instance.actor = user
            instance.actor_email = user.email or None
    if not instance.remote_addr:
        instance.remote_addr = getattr(request, "audit_client_ip", None)


@receiver(pre_save, sender=LogEntry, dispatch_uid="zhicheng_audit_refuse_update")
def refuse_update(sender, instance: LogEntry, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata of a fixture creates rows; an existing row still hits the DB trigger
        return
    if not instance._state.adding or (
        instance.pk is not None and LogEntry.objects.filter(pk=instance.pk).exists()
    ):
        raise AuditLogAppendOnly()


@receiver(pre_delete, sender=LogEntry, dispatch_uid="zhicheng_audit_refuse_delete")
def refuse_delete(sender, instance: LogEntry, **kwargs) -> None:
    raise AuditLogAppendOnly()

"""Django admin: the operation log and the login log are read-only for everyone.

django-auditlog and django-axes register their own admins (auditlog's lets a superuser delete
entries through "delete related"; axes' lets them delete login records). They are replaced by
read-only ones: no add, no change, no delete, no bulk actions. ``AccessAttempt`` (the lockout
counters) stays as axes made it, so an administrator can still unlock an account.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin


class ReadOnlyAdminMixin:
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyLogEntryAdmin(ReadOnlyAdminMixin, LogEntryAdmin):
    pass


class ReadOnlyAccessLogAdmin(ReadOnlyAdminMixin, AccessLogAdmin):
    pass


class ReadOnlyAccessFailureLogAdmin(ReadOnlyAdminMixin, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (LogEntry, ReadOnlyLogEntryAdmin),
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

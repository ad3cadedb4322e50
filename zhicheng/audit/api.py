"""GET /api/v1/operation-logs/: the operation log, read-only, audit admins only, scoped."""

from auditlog.models import LogEntry
from rest_framework import mixins, permissions, serializers, viewsets

from zhicheng.audit import display, selectors
from zhicheng.audit.listings import OPERATION_LOG
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.validators import mask_if_id_number, may_see_full_id_numbers

VIEW_OPERATION_LOG = selectors.VIEW_OPERATION_LOG


class OperationLogSerializer(serializers.ModelSerializer):
    """Every 身份证号 (applicants' user names, old entries' diffs) is masked unless the viewer
    holds ``accounts.view_full_id_number``."""

    actor = serializers.CharField(
        source="actor.username", default=None, read_only=True, allow_null=True
    )
    actor_name = serializers.CharField(
        source="actor.real_name", default=None, read_only=True, allow_null=True
    )
    operation = serializers.SerializerMethodField()
    operation_label = serializers.SerializerMethodField()
    content_type = serializers.SerializerMethodField()
    content_type_label = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_name",
            "remote_addr",
            "operation",
            "operation_label",
            "content_type",
            "content_type_label",
            "object_pk",
            "object_repr",
            "summary",
            "changes",
        ]
        read_only_fields = fields

    def _mask(self) -> bool:
        request = self.context.get("request")
        return not may_see_full_id_numbers(getattr(request, "user", None))

    def to_representation(self, entry: LogEntry) -> dict:
        data = super().to_representation(entry)
        if self._mask():
            for key in ("actor", "actor_name", "object_repr"):
                data[key] = mask_if_id_number(data[key])
        return data

    def get_operation(self, entry: LogEntry) -> str:
        return display.operation_code(entry)

    def get_operation_label(self, entry: LogEntry) -> str:
        return display.operation_label(entry)

    def get_content_type(self, entry: LogEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    def get_content_type_label(self, entry: LogEntry) -> str:
        return display.content_type_label(entry)

    def get_summary(self, entry: LogEntry) -> str:
        return display.change_summary(entry, limit=500, mask=self._mask())

    def get_changes(self, entry: LogEntry) -> list[dict[str, str]]:
        return [
            {"field": row.field, "old": row.old, "new": row.new}
            for row in display.change_rows(entry, resolve_fk=False, mask=self._mask())
        ]


class CanViewOperationLog(permissions.BasePermission):
    message = "无权查看操作日志"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and request.user.has_perm(
            VIEW_OPERATION_LOG
        )


class OperationLogViewSet(
    ListingViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """操作日志 (read-only). Filters: ``actor`` (username or name), ``operation`` (create,
    update, delete, import, export, deregister, …), ``content_type`` (``app.model``),
    ``object_repr``, ``date_from`` / ``date_to`` (YYYY-MM-DD), ``ip`` (prefix)."""

    listing = OPERATION_LOG
    serializer_class = OperationLogSerializer
    permission_classes = [CanViewOperationLog]
    queryset = LogEntry.objects.none()
    filter_backends: list = []

    def get_object(self):
        entry = selectors.operation_log_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, entry)
        return entry


def register(router) -> None:
    router.register("operation-logs", OperationLogViewSet, basename="operation-log")

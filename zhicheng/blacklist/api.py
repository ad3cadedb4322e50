"""/api/v1/blacklist/ (guide 1.21).

- ``GET /blacklist/`` filters: ``name``, ``id_number``, ``reason``, ``state``
  (pending|in_force|expired|lifted), ``start_from``, ``start_to`` (YYYY-MM-DD);
  ``GET /blacklist/<id>/`` — scoped to the bureau's subtree.
- ``POST /blacklist/`` ``{"person": id}`` (a person in your scope) or
  ``{"id_type", "id_number", "name"}`` (any person by the full number — a new one is
  registered), plus ``reason``, ``document_number``, ``start_date``, optional ``end_date``
  (default start + 3 years) and ``notes``.
- ``PATCH /blacklist/<id>/`` — reason, document_number, start_date, end_date, notes.
- ``POST /blacklist/<id>/lift/`` ``{"reason"}`` — 解除 (the entry stays as history).
- ``GET /blacklist/export/?<list filters>`` — 导出查询结果 (.xlsx, shared Excel engine; 身份证号
  masked without ``accounts.view_full_id_number``).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.blacklist import selectors, services
from zhicheng.blacklist.listings import BLACKLIST
from zhicheng.blacklist.models import BlacklistEntry, BlacklistReason
from zhicheng.certificates.services import fraud
from zhicheng.common.errors import ApplicationError
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.scoping import scoped
from zhicheng.persons.models import IdType, Person
from zhicheng.persons.services import id_number_in_answer
from zhicheng.tabular.api import TabularActionsMixin


class BlacklistEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_type = serializers.CharField(source="person.id_type", read_only=True)
    id_type_display = DisplayField(source="person.get_id_type_display")
    id_number = serializers.SerializerMethodField()
    gender_display = DisplayField(source="person.get_gender_display")
    reason_display = DisplayField(source="get_reason_display")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_display = DisplayField(source="get_status_display")
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(read_only=True)
    created_by_name = serializers.SerializerMethodField()
    lifted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = BlacklistEntry
        fields = [
            "id",
            "person",
            "person_name",
            "id_type",
            "id_type_display",
            "id_number",
            "gender_display",
            "reason",
            "reason_display",
            "document_number",
            "start_date",
            "end_date",
            "notes",
            "organization",
            "organization_name",
            "status",
            "status_display",
            "state",
            "state_display",
            "created_by_name",
            "created_at",
            "updated_at",
            "lift_reason",
            "lifted_by_name",
            "lifted_at",
        ]
        read_only_fields = fields

    def get_created_by_name(self, obj: BlacklistEntry) -> str:
        return str(obj.created_by)

    def get_lifted_by_name(self, obj: BlacklistEntry) -> str | None:
        return str(obj.lifted_by) if obj.lifted_by_id else None

    def get_id_number(self, obj: BlacklistEntry) -> str:
        return id_number_in_answer(context=self.context, person=obj.person)


class BlacklistCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(label="人员", required=False, allow_null=True)
    id_type = serializers.ChoiceField(
        label="证件类型", choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = serializers.CharField(
        label="证件号码", max_length=32, required=False, allow_blank=True
    )
    name = serializers.CharField(label="姓名", max_length=50, required=False, allow_blank=True)
    reason = serializers.ChoiceField(label="原因类别", choices=BlacklistReason.choices)
    document_number = serializers.CharField(label="依据文号", max_length=100)
    start_date = serializers.DateField(label="开始日期")
    end_date = serializers.DateField(label="结束日期", required=False, allow_null=True)
    notes = serializers.CharField(label="备注", max_length=2000, required=False, allow_blank=True)
    revoke_titles = serializers.BooleanField(
        label="同时撤销该人员通过此申报取得的职称及证书（仅原因为提供虚假材料）",
        required=False,
        default=False,
    )


class BlacklistUpdateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(label="原因类别", choices=BlacklistReason.choices)
    document_number = serializers.CharField(label="依据文号", max_length=100)
    start_date = serializers.DateField(label="开始日期")
    end_date = serializers.DateField(label="结束日期")
    notes = serializers.CharField(label="备注", max_length=2000, allow_blank=True)


class BlacklistLiftSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label="解除原因", max_length=2000, required=False, allow_blank=True, default=""
    )


class BlacklistPermissions(BasePermission):
    """Reading needs ``view``; 新增/修改/解除 need ``add``/``change``/``lift`` (403 otherwise)."""

    action_perms = {
        "list": "blacklist.view_blacklistentry",
        "retrieve": "blacklist.view_blacklistentry",
        "export_file": "blacklist.view_blacklistentry",
        "create": "blacklist.add_blacklistentry",
        "partial_update": "blacklist.change_blacklistentry",
        "lift": "blacklist.lift_blacklistentry",
    }

    def has_permission(self, request, view) -> bool:
        perm = self.action_perms.get(view.action)
        return bool(
            request.user and request.user.is_authenticated and perm and request.user.has_perm(perm)
        )


class BlacklistEntryViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BlacklistEntrySerializer
    listing = BLACKLIST
    permission_classes = [BlacklistPermissions]
    queryset = BlacklistEntry.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_object(self):
        return selectors.blacklist_entry_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary="新增黑名单", request=BlacklistCreateSerializer)
    def create(self, request):
        serializer = BlacklistCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person_id = data.pop("person", None)
        person = None
        if person_id is not None:
            person = scoped(Person.objects.all(), request.user).filter(pk=person_id).first()
            if person is None:
                raise ApplicationError(
                    "人员不存在或不在管辖范围内；管辖范围外的人员请按完整证件号码录入"
                )
        if data.pop("revoke_titles", False):
            # 提供虚假材料: 列入黑名单 and 撤销 the titles and certificates, one action.
            entry = fraud.blacklist_and_revoke(
                actor=request.user, revoke=True, person=person, **data
            ).entry
        else:
            entry = services.blacklist_entry_create(actor=request.user, person=person, **data)
        return Response(self.get_serializer(entry).data, status=201)

    @extend_schema(summary="修改黑名单", request=BlacklistUpdateSerializer)
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        serializer = BlacklistUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = services.blacklist_entry_update(
            actor=request.user, entry=entry, **serializer.validated_data
        )
        return Response(self.get_serializer(entry).data)

    @extend_schema(summary="解除黑名单", request=BlacklistLiftSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        entry = self.get_object()
        serializer = BlacklistLiftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.blacklist_entry_lift(
            actor=request.user, entry=entry, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(entry).data)


def register(router) -> None:
    router.register("blacklist", BlacklistEntryViewSet, basename="blacklist")

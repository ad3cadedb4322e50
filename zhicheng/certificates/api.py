"""/api/v1/issuing-units/ — thin: selectors read (scoped), services write."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.certificates import selectors, services, tabular
from zhicheng.certificates.models import ISSUING_UNIT_CODE_HELP, IssuingUnit
from zhicheng.common.models import DEREGISTER_REASON_MAX
from zhicheng.common.query import query_flag, query_text
from zhicheng.orgs.models import Organization
from zhicheng.tabular.api import TabularActionsMixin


class IssuingUnitPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if getattr(view, "action", None) == "deregister":
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and user.has_perm("certificates.deregister_issuingunit")
            )
        return super().has_permission(request, view)


class IssuingUnitSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_uscc = serializers.CharField(source="organization.uscc", read_only=True)
    region_code = serializers.CharField(source="organization.region_code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    deregistered_by_name = serializers.SerializerMethodField()

    class Meta:
        model = IssuingUnit
        fields = [
            "id",
            "organization",
            "organization_name",
            "organization_uscc",
            "region_code",
            "code",
            "status",
            "status_display",
            "deregister_reason",
            "deregistered_by_name",
            "deregistered_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_deregistered_by_name(self, obj: IssuingUnit) -> str:
        return str(obj.deregistered_by) if obj.deregistered_by_id else ""


class IssuingUnitCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), label="单位名称"
    )
    code = serializers.CharField(max_length=8, label="编码", help_text=ISSUING_UNIT_CODE_HELP)


class IssuingUnitUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, label="编码", help_text=ISSUING_UNIT_CODE_HELP)


class IssuingUnitDeregisterSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=DEREGISTER_REASON_MAX, label="注销原因")


class IssuingUnitViewSet(
    TabularActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """发证单位编码. Filters ``?code=`` (prefix), ``?name=`` (unit name), ``?status=``,
    ``?organization=``; ``?search=`` is the typeahead of 1.16 (active units only unless
    ``include_deregistered=1``); ``export/`` = 导出查询结果 with the same filters. Deregistered
    units are kept, never deleted."""

    export_key = "issuing-units"
    serializer_class = IssuingUnitSerializer
    permission_classes = [IssuingUnitPermissions]
    queryset = IssuingUnit.objects.none()

    def get_queryset(self):
        return tabular.export_queryset(self.request.user, self.request.query_params)

    def get_object(self):
        obj = selectors.issuing_unit_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        params = request.query_params
        if "search" in params:
            items = selectors.issuing_unit_typeahead(
                user=request.user,
                search=query_text(params, "search"),
                active_only=not query_flag(params, "include_deregistered"),
            )
            return Response({"results": self.get_serializer(items, many=True).data})
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IssuingUnitCreateSerializer, responses={201: IssuingUnitSerializer})
    def create(self, request):
        data = IssuingUnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.issuing_unit_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(unit).data, status=201)

    @extend_schema(request=IssuingUnitUpdateSerializer, responses={200: IssuingUnitSerializer})
    def partial_update(self, request, pk=None):
        unit = self.get_object()
        data = IssuingUnitUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.issuing_unit_update(
            actor=request.user, issuing_unit=unit, code=data.validated_data["code"]
        )
        return Response(self.get_serializer(unit).data)

    @extend_schema(request=IssuingUnitUpdateSerializer, responses={200: IssuingUnitSerializer})
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(
        summary="注销（须填写注销原因）",
        request=IssuingUnitDeregisterSerializer,
        responses={200: IssuingUnitSerializer},
    )
    @action(detail=True, methods=["post"])
    def deregister(self, request, pk=None):
        unit = self.get_object()
        data = IssuingUnitDeregisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.issuing_unit_deregister(
            actor=request.user, issuing_unit=unit, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(unit).data)


def register(router) -> None:
    router.register("issuing-units", IssuingUnitViewSet, basename="issuing-unit")

"""/api/v1/application-windows/ (申报批次) — thin: selectors read (scoped), services write.

- ``GET /application-windows/`` (``?name=``, ``?year=``, ``?series=``, ``?level=``, ``?state=``)
  and ``GET /application-windows/<id>/``; ``export/`` = 导出查询结果.
- ``POST /application-windows/`` — 开设 for the officer's organization;
  ``PATCH /application-windows/<id>/`` — 修改 (not after it ended; once open only its end);
  ``POST /application-windows/<id>/close/`` — 提前结束. No delete: applications keep their window.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.tabular.api import TabularActionsMixin

from . import selectors, services
from .listings import APPLICATION_WINDOWS
from .models import ApplicationWindow, WindowState


class ApplicationWindowPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class ApplicationWindowSerializer(serializers.ModelSerializer):
    series_name = serializers.CharField(source="series.name", read_only=True)
    level_display = DisplayField(source="get_level_display")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    state = serializers.ChoiceField(choices=WindowState.choices, read_only=True)
    state_display = serializers.CharField(read_only=True)
    period_display = serializers.CharField(read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationWindow
        fields = [
            "id",
            "name",
            "year",
            "series",
            "series_name",
            "level",
            "level_display",
            "opens_at",
            "closes_at",
            "period_display",
            "state",
            "state_display",
            "organization",
            "organization_name",
            "created_by_name",
            "created_at",
            "closed_early_at",
            "note",
        ]
        read_only_fields = fields

    def get_created_by_name(self, window: ApplicationWindow) -> str:
        return str(window.created_by) if window.created_by_id else ""


class ApplicationWindowWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, label="批次名称")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    series = serializers.PrimaryKeyRelatedField(
        queryset=TitleSeries.objects.all(), required=False, label="职称系列"
    )
    level = serializers.ChoiceField(choices=TitleLevel.choices, required=False)
    opens_at = serializers.DateTimeField(required=False, label="开始时间（精确到分钟）")
    closes_at = serializers.DateTimeField(required=False, label="结束时间（精确到分钟）")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ApplicationWindowCreateSerializer(ApplicationWindowWriteSerializer):
    name = serializers.CharField(max_length=100, label="批次名称")
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="申报年度")
    series = serializers.PrimaryKeyRelatedField(
        queryset=TitleSeries.objects.all(), label="职称系列"
    )
    level = serializers.ChoiceField(choices=TitleLevel.choices, label="职称级别")
    opens_at = serializers.DateTimeField(label="开始时间（精确到分钟）")
    closes_at = serializers.DateTimeField(label="结束时间（精确到分钟）")


class ApplicationWindowViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = APPLICATION_WINDOWS
    serializer_class = ApplicationWindowSerializer
    permission_classes = [ApplicationWindowPermissions]
    queryset = ApplicationWindow.objects.none()

    def get_object(self):
        obj = selectors.application_window_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    @extend_schema(
        summary="开设申报批次",
        request=ApplicationWindowCreateSerializer,
        responses={201: ApplicationWindowSerializer},
    )
    def create(self, request):
        data = ApplicationWindowCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        window = services.application_window_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(window).data, status=201)

    @extend_schema(
        summary="修改申报批次",
        request=ApplicationWindowWriteSerializer,
        responses={200: ApplicationWindowSerializer},
    )
    def partial_update(self, request, pk=None):
        window = self.get_object()
        data = ApplicationWindowWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        window = services.application_window_update(
            actor=request.user, window=window, **data.validated_data
        )
        return Response(self.get_serializer(window).data)

    @extend_schema(
        summary="修改申报批次",
        request=ApplicationWindowWriteSerializer,
        responses={200: ApplicationWindowSerializer},
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(summary="提前结束申报批次", request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        window = self.get_object()
        window = services.application_window_close(actor=request.user, window=window)
        return Response(self.get_serializer(window).data)


def register(router) -> None:
    router.register("application-windows", ApplicationWindowViewSet, basename="application-window")

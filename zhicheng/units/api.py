"""/api/v1/ for 用人单位 (issue 14) — thin: selectors read (scoped), services write.

Public (no login):
- ``POST /auth/unit-register/`` ``{"uscc", "name", "contact_name", "contact_phone",
  "competent", "password", "password_confirm"}`` — 单位注册 (201; 400 with a Chinese message);
- ``GET /units/competent/?search=`` — 主管单位 typeahead.

The 主管单位's officers and the levels above (``units.review_unitregistration``):
- ``GET /unit-registrations/?name=&uscc=&status=``, ``GET …/<id>/``, ``…/export/``;
- ``POST …/<id>/approve/`` ``{"opinion"}``, ``POST …/<id>/refuse/`` ``{"reason"}``;
- ``POST /unit-accounts/<user id>/reset-password/`` → ``{"password"}`` (shown once).

A unit's officers (单位经办):
- ``GET /unit-publicities/``, ``GET …/<id>/``; ``POST /unit-publicities/``
  ``{"applications": [ids], "starts_on", "ends_on"}`` — 登记单位内部公示;
- ``POST …/<id>/result/`` (multipart ``file``, ``recommendation``) — the sealed scan;
- ``GET …/<id>/scan/`` the scan; ``GET /unit-publicity-sheet/?publicity=`` and its
  ``export/`` (xlsx) and ``pdf/`` — the 公示表 (申报综合情况).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhicheng.common.errors import ApplicationError
from zhicheng.common.fields import DisplayField
from zhicheng.common.files import attachment_response
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.openapi import FILE_RESPONSES
from zhicheng.common.ratelimit import ClientScopedRateThrottle
from zhicheng.common.scoping import id_or_404
from zhicheng.tabular.api import TabularActionsMixin
from zhicheng.units import selectors, services, sheets
from zhicheng.units.listings import PUBLICITY_SHEET, UNIT_REGISTRATIONS
from zhicheng.units.models import STANDARD_RECOMMENDATIONS, UnitPublicity, UnitRegistration

ERRORS = {
    400: OpenApiResponse(description="输入有误（中文说明）"),
    403: OpenApiResponse(description="无权执行"),
    404: OpenApiResponse(description="不存在或不在管辖范围内"),
}
REVIEW = "units.review_unitregistration"


class HasPerm(BasePermission):
    perm = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.perm))


class CanReviewRegistrations(HasPerm):
    perm = REVIEW


class CanPublicize(HasPerm):
    perm = "units.view_unitpublicity"


# --- public: 单位注册 ---------------------------------------------------------------------------


class UnitRegisterSerializer(serializers.Serializer):
    uscc = serializers.CharField(label="统一社会信用代码", max_length=30)
    name = serializers.CharField(label="单位名称", max_length=200)
    contact_name = serializers.CharField(label="联系人", max_length=50)
    contact_phone = serializers.CharField(label="联系电话", max_length=30)
    competent = serializers.IntegerField(label="主管单位（机构 id）", min_value=1)
    password = serializers.CharField(label="密码", write_only=True, trim_whitespace=False)
    password_confirm = serializers.CharField(
        label="确认密码", write_only=True, trim_whitespace=False
    )

    def validate(self, attrs):
        if attrs["password"] != attrs["password_confirm"]:
            raise serializers.ValidationError({"password_confirm": ["两次输入的密码不一致"]})
        return attrs


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


class UnitRegisterView(APIView):
    """单位注册 (public; attempts per client address are limited like 申报人注册)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        summary="单位注册",
        request=UnitRegisterSerializer,
        responses={
            201: inline_serializer(
                "UnitRegistered",
                {
                    "id": serializers.IntegerField(),
                    "username": serializers.CharField(),
                    "status": serializers.CharField(),
                    "detail": serializers.CharField(),
                },
            ),
            400: ERRORS[400],
            403: ERRORS[403],
            429: OpenApiResponse(description="尝试过于频繁"),
        },
    )
    def post(self, request):
        if request.COOKIES:
            check = _CsrfCheck(lambda req: None)
            check.process_request(request._request)
            reason = check.process_view(request._request, None, (), {})
            if reason:
                raise exceptions.PermissionDenied(f"CSRF 校验失败：{reason}")
        data = UnitRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        competent = selectors.competent_get(values["competent"])
        if competent is None:
            raise ApplicationError("主管单位不存在，请重新查询选择")
        reg = services.unit_register(
            uscc=values["uscc"],
            name=values["name"],
            contact_name=values["contact_name"],
            contact_phone=values["contact_phone"],
            competent=competent,
            password=values["password"],
        )
        return Response(
            {
                "id": reg.pk,
                "username": reg.account.username,
                "status": reg.status,
                "detail": f"注册已提交，等待主管单位“{competent.name}”审核；"
                "审核通过后请用统一社会信用代码和密码登录",
            },
            status=status.HTTP_201_CREATED,
        )


class CompetentSearchView(APIView):
    """主管单位 typeahead (public: the registration page uses it)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="主管单位查询（单位注册用）",
        parameters=[
            OpenApiParameter("search", str, description="名称、统一社会信用代码或拼音首字母")
        ],
        responses={
            200: inline_serializer(
                "CompetentResults",
                {
                    "results": inline_serializer(
                        "CompetentUnit",
                        {
                            "id": serializers.IntegerField(),
                            "name": serializers.CharField(),
                            "uscc": serializers.CharField(),
                        },
                        many=True,
                    )
                },
            )
        },
    )
    def get(self, request):
        found = selectors.competent_search(search=request.query_params.get("search", ""))
        return Response({"results": [{"id": o.pk, "name": o.name, "uscc": o.uscc} for o in found]})


# --- 单位注册审核 -------------------------------------------------------------------------------


class UnitRegistrationSerializer(serializers.ModelSerializer):
    competent_name = serializers.CharField(source="competent.name", read_only=True)
    status_display = DisplayField(source="get_status_display")
    username = serializers.CharField(source="account.username", read_only=True)

    class Meta:
        model = UnitRegistration
        fields = [
            "id",
            "uscc",
            "name",
            "contact_name",
            "contact_phone",
            "competent",
            "competent_name",
            "username",
            "status",
            "status_display",
            "reason",
            "decided_at",
            "organization",
            "created_at",
        ]
        read_only_fields = fields


class UnitApproveSerializer(serializers.Serializer):
    opinion = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UnitRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(label="原因", max_length=500)


class UnitRegistrationViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = UNIT_REGISTRATIONS
    import_file = None  # export only: no import/ route (it would only answer 404)
    serializer_class = UnitRegistrationSerializer
    permission_classes = [CanReviewRegistrations]
    queryset = UnitRegistration.objects.none()

    def get_object(self):
        return selectors.unit_registration_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="单位注册审核通过",
        request=UnitApproveSerializer,
        responses={200: UnitRegistrationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        reg = self.get_object()
        data = UnitApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reg = services.unit_registration_approve(
            actor=request.user, registration=reg, opinion=data.validated_data.get("opinion", "")
        )
        return Response(self.get_serializer(reg).data)

    @extend_schema(
        summary="单位注册审核不通过（须填原因）",
        request=UnitRefuseSerializer,
        responses={200: UnitRegistrationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        reg = self.get_object()
        data = UnitRefuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reg = services.unit_registration_refuse(
            actor=request.user, registration=reg, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(reg).data)


class UnitPasswordResetView(APIView):
    """The level above resets a unit account's password (the new one is returned once)."""

    permission_classes = [CanReviewRegistrations]

    @extend_schema(
        summary="重置下级单位账号密码",
        request=None,
        responses={
            200: inline_serializer("UnitPasswordReset", {"password": serializers.CharField()}),
            **ERRORS,
        },
    )
    def post(self, request, pk):
        password = services.unit_account_password_reset(actor=request.user, account=id_or_404(pk))
        return Response({"password": password, "detail": "密码已重置，请转告单位，首次登录须修改"})


# --- 单位内部公示 -------------------------------------------------------------------------------


class UnitPublicitySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    has_result = serializers.BooleanField(read_only=True)
    applications = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = UnitPublicity
        fields = [
            "id",
            "organization",
            "organization_name",
            "applications",
            "starts_on",
            "ends_on",
            "recommendation",
            "original_name",
            "has_result",
            "result_uploaded_at",
            "created_at",
        ]
        read_only_fields = fields


class UnitPublicityCreateSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=500,
    )
    starts_on = serializers.DateField(label="公示开始日期")
    ends_on = serializers.DateField(label="公示结束日期")


class UnitPublicityResultSerializer(serializers.Serializer):
    file = serializers.FileField(label="盖章的公示结果扫描件")
    recommendation = serializers.CharField(label="推荐意见", max_length=1000)


class UnitPublicityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = UnitPublicitySerializer
    permission_classes = [CanPublicize]
    queryset = UnitPublicity.objects.none()

    def get_queryset(self):
        return selectors.unit_publicity_list(user=self.request.user)

    def get_object(self):
        return selectors.unit_publicity_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="登记单位内部公示（公示日期不少于5个工作日）",
        request=UnitPublicityCreateSerializer,
        responses={201: UnitPublicitySerializer, **ERRORS},
    )
    def create(self, request):
        data = UnitPublicityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        publicity = services.unit_publicity_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(publicity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="上传公示结果（盖章扫描件）与推荐意见",
        request={"multipart/form-data": UnitPublicityResultSerializer},
        responses={200: UnitPublicitySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def result(self, request, pk=None):
        publicity = self.get_object()
        data = UnitPublicityResultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        publicity = services.unit_publicity_result_upload(
            actor=request.user,
            publicity=publicity,
            upload=data.validated_data["file"],
            recommendation=data.validated_data["recommendation"],
        )
        return Response(self.get_serializer(publicity).data)

    @extend_schema(
        summary="公示结果扫描件",
        responses={**FILE_RESPONSES, 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"])
    def scan(self, request, pk=None):
        publicity = self.get_object()
        if not publicity.has_result:
            raise exceptions.NotFound("尚未上传公示结果")
        return attachment_response(publicity)

    @extend_schema(
        summary="推荐意见的标准用语",
        responses={200: inline_serializer("Wordings", {"results": serializers.ListField()})},
    )
    @action(detail=False, methods=["get"])
    def recommendations(self, request):
        return Response({"results": list(STANDARD_RECOMMENDATIONS)})


class PublicitySheetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")
    title = serializers.CharField(source="title.name")
    level = DisplayField(source="get_level_display")
    acquisition_method = DisplayField(source="get_acquisition_method_display")
    specialty = serializers.CharField(source="specialty.name")
    employer = serializers.CharField(source="employer.name")


class PublicitySheetViewSet(
    ListingViewSetMixin, TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    listing = PUBLICITY_SHEET
    import_file = None  # export only: no import/ route (it would only answer 404)
    serializer_class = PublicitySheetSerializer
    permission_classes = [CanPublicize]
    queryset = UnitPublicity.objects.none()

    @extend_schema(
        summary="公示表（PDF）",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: ERRORS[400],
            403: ERRORS[403],
        },
    )
    @action(detail=False, methods=["get"])
    def pdf(self, request):
        values = PUBLICITY_SHEET.filters_from(request.query_params, strict=True)
        content = sheets.publicity_sheet_pdf(user=request.user, publicity=values.get("publicity"))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="unit-publicity-sheet.pdf"'
        return response


def register(router) -> None:
    router.register("unit-registrations", UnitRegistrationViewSet, basename="unit-registration")
    router.register("unit-publicities", UnitPublicityViewSet, basename="unit-publicity")
    router.register("unit-publicity-sheet", PublicitySheetViewSet, basename="unit-publicity-sheet")


urlpatterns = [
    path("auth/unit-register/", UnitRegisterView.as_view(), name="api-unit-register"),
    path("units/competent/", CompetentSearchView.as_view(), name="unit-competent-search"),
    path(
        "unit-accounts/<int:pk>/reset-password/",
        UnitPasswordResetView.as_view(),
        name="unit-account-reset-password",
    ),
]

"""/api/v1/issuing-units/ (1.9) and /api/v1/certificate-numbers/ (1.16) — thin: selectors read
(scoped), services write."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.certificates import (
    api_issue_jobs,
    api_national,
    api_reissue,
    api_verify,
    pdf,
    selectors,
    services,
)
from zhicheng.certificates.listings import CERTIFICATE_NUMBERS, CERTIFICATES, ISSUING_UNITS
from zhicheng.certificates.models import (
    ISSUING_UNIT_CODE_HELP,
    SEQUENCE_MAX,
    Certificate,
    CertificateNumber,
    CertificateNumberBatch,
    IssuingUnit,
)
from zhicheng.certificates.services import issuing, seals
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.models import DEREGISTER_REASON_MAX
from zhicheng.common.query import ID_MAX, query_flag, query_text
from zhicheng.common.scoping import id_or_404
from zhicheng.common.security import protect_inline_file
from zhicheng.orgs.models import Organization
from zhicheng.tabular.api import TabularActionsMixin


class IssuingUnitPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if getattr(view, "action", None) == "seal":
            # 印章: reading needs view, PUT / DELETE change the unit (not delete it).
            perm = "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change"
            user = request.user
            return bool(
                user and user.is_authenticated and user.has_perm(f"certificates.{perm}_issuingunit")
            )
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
    status_display = DisplayField(source="get_status_display")
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
            "has_seal",
        ]
        read_only_fields = fields

    has_seal = serializers.SerializerMethodField(help_text="是否上传了印章（否：证书使用默认印章）")

    def get_has_seal(self, obj: IssuingUnit) -> bool:
        return bool(obj.seal)

    def get_deregistered_by_name(self, obj: IssuingUnit) -> str:
        return str(obj.deregistered_by) if obj.deregistered_by_id else ""


class IssuingUnitCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), label="单位名称"
    )
    code = serializers.CharField(max_length=8, label="编码", help_text=ISSUING_UNIT_CODE_HELP)


class IssuingUnitUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, label="编码", help_text=ISSUING_UNIT_CODE_HELP)


class IssuingUnitSealSerializer(serializers.Serializer):
    seal = serializers.FileField(label="印章图片", help_text=seals.SEAL_RULES)


class IssuingUnitDeregisterSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=DEREGISTER_REASON_MAX, label="注销原因")


class IssuingUnitViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """发证单位编码. Filters ``?code=`` (prefix), ``?name=`` (unit name), ``?status=``,
    ``?organization=``; ``?search=`` is the typeahead of 1.16 (active units only unless
    ``include_deregistered=1``); ``export/`` = 导出查询结果 with the same filters. Deregistered
    units are kept, never deleted."""

    listing = ISSUING_UNITS
    serializer_class = IssuingUnitSerializer
    permission_classes = [IssuingUnitPermissions]
    queryset = IssuingUnit.objects.none()

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
        data = IssuingUnitUpdateSerializer(data=request.data, partial=request.method == "PATCH")
        data.is_valid(raise_exception=True)
        if "code" not in data.validated_data:  # a PATCH that changes nothing
            return Response(self.get_serializer(unit).data)
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

    @extend_schema(
        methods=["GET"],
        summary="印章：查看上传的印章图片（未上传时 404）",
        responses={(200, "image/png"): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["PUT"],
        summary=f"印章：上传或替换（multipart：seal；{seals.SEAL_RULES}）",
        request={"multipart/form-data": IssuingUnitSealSerializer},
        responses={200: IssuingUnitSerializer},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="印章：删除（证书改用按单位名称绘制的默认印章）",
        responses={204: None},
    )
    @action(detail=True, methods=["get", "put", "delete"], parser_classes=[MultiPartParser])
    def seal(self, request, pk=None):
        unit = self.get_object()
        if request.method == "PUT":
            data = IssuingUnitSealSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            unit = seals.issuing_unit_seal_upload(
                actor=request.user,
                issuing_unit=unit,
                data=seals.seal_read(data.validated_data["seal"]),
            )
            return Response(self.get_serializer(unit).data)
        if request.method == "DELETE":
            seals.issuing_unit_seal_remove(actor=request.user, issuing_unit=unit)
            return Response(status=204)
        if not unit.seal:
            raise NotFound("该发证单位未上传印章")
        return protect_inline_file(
            FileResponse(unit.seal.open("rb"), content_type="image/png", filename="seal.png")
        )


class CertificateNumberPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class CertificateNumberSerializer(serializers.ModelSerializer):
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", read_only=True
    )
    issuing_unit_code = serializers.CharField(source="issuing_unit.code", read_only=True)
    status_display = DisplayField(source="get_status_display")
    created_by_name = serializers.CharField(source="batch.created_by", read_only=True)
    created_at = serializers.DateTimeField(source="batch.created_at", read_only=True)

    class Meta:
        model = CertificateNumber
        fields = [
            "id",
            "number",
            "issuing_unit",
            "issuing_unit_name",
            "issuing_unit_code",
            "year",
            "sequence",
            "status",
            "status_display",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = fields


class CertificateNumberGenerateSerializer(serializers.Serializer):
    issuing_unit = serializers.PrimaryKeyRelatedField(
        queryset=IssuingUnit.objects.all(), label="发证单位"
    )
    year = serializers.IntegerField(label="年度")
    start = serializers.IntegerField(label="开始序号", min_value=1, max_value=SEQUENCE_MAX)
    end = serializers.IntegerField(label="结束序号", min_value=1, max_value=SEQUENCE_MAX)


class CertificateNumberBatchSerializer(serializers.ModelSerializer):
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", read_only=True
    )
    count = serializers.IntegerField(read_only=True)
    first_number = serializers.CharField(read_only=True)
    last_number = serializers.CharField(read_only=True)
    message = serializers.SerializerMethodField()

    class Meta:
        model = CertificateNumberBatch
        fields = [
            "id",
            "issuing_unit",
            "issuing_unit_name",
            "year",
            "start",
            "end",
            "count",
            "first_number",
            "last_number",
            "created_at",
            "message",
        ]
        read_only_fields = fields

    def get_message(self, batch: CertificateNumberBatch) -> str:
        return services.generated_message(batch)


class CertificateNumberViewSet(
    ListingViewSetMixin, TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """证书编号库. ``POST`` = 生成证书编号 ``{"issuing_unit", "year", "start", "end"}`` (all or
    none); ``GET`` = 查询 with ``?issuing_unit=``, ``?name=`` (unit name), ``?number=`` (prefix),
    ``?year=``, ``?status=available|used``; ``export/`` = 导出查询结果 with the same filters."""

    listing = CERTIFICATE_NUMBERS
    serializer_class = CertificateNumberSerializer
    permission_classes = [CertificateNumberPermissions]
    queryset = CertificateNumber.objects.none()

    @extend_schema(
        summary="生成证书编号",
        request=CertificateNumberGenerateSerializer,
        responses={201: CertificateNumberBatchSerializer},
    )
    def create(self, request):
        data = CertificateNumberGenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.certificate_numbers_generate(actor=request.user, **data.validated_data)
        return Response(CertificateNumberBatchSerializer(batch).data, status=201)


class CertificateSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="number.number", read_only=True)
    name = serializers.CharField(source="holding.person.name", read_only=True)
    title = serializers.CharField(source="holding.title.name", read_only=True)
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", read_only=True
    )
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "holding",
            "name",
            "title",
            "issuing_unit",
            "issuing_unit_name",
            "status",
            "status_display",
            "sha256",
            "issued_at",
        ]
        read_only_fields = fields


class CertificateIssueSerializer(serializers.Serializer):
    holdings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        allow_empty=False,
        max_length=issuing.BATCH_MAX,
        label="取得职称",
    )
    issuing_unit = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="发证单位")


class CertificateRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=issuing.REVOKE_REASON_MAX, label="撤销原因")


class CertificatePermissions(DjangoModelPermissions):
    """Officers by their model permissions; a holder reads (list, file) his own certificates."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.issue_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD") and selectors.certificates_viewable(request.user):
            return True
        return super().has_permission(request, view)


class CertificateViewSet(ListingViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """职称证书 (1.17, 1.19, 1.20): ``GET`` lists the certificates of the caller's scope with
    证书查询's filters (``?name=``, ``?number=`` prefix, ``?status=``, ``?issuing_unit_name=``); ``POST issue/`` ``{"holdings": [ids], "issuing_unit"}`` issues each
    (one refused does not stop the others); ``POST <id>/revoke/`` ``{"reason"}``;
    ``GET <id>/file/`` is the signed PDF. As on the 证书查询 page, a list's ``count`` stops at
    1,001 (more than 1,000: narrow the query); the page's 导出 writes them all."""

    listing = CERTIFICATES
    serializer_class = CertificateSerializer
    permission_classes = [CertificatePermissions]
    queryset = Certificate.objects.none()

    @extend_schema(
        summary="发放证书",
        request=CertificateIssueSerializer,
        responses=inline_serializer(
            "CertificateIssueResult",
            {
                "issued": CertificateSerializer(many=True),
                "refused": inline_serializer(
                    "CertificateIssueRefused",
                    {"holding": serializers.IntegerField(), "reason": serializers.CharField()},
                    many=True,
                ),
                "message": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["post"])
    def issue(self, request):
        data = CertificateIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = issuing.certificates_issue(
            actor=request.user,
            holding_ids=data.validated_data["holdings"],
            issuing_unit=data.validated_data["issuing_unit"],
            public_url=pdf.public_url(request),
        )
        return Response(
            {
                "issued": CertificateSerializer(outcome.issued, many=True).data,
                "refused": [{"holding": pk, "reason": reason} for pk, reason in outcome.refused],
                "message": outcome.message,
            }
        )

    @extend_schema(
        summary="撤销证书（须填写撤销原因）",
        request=CertificateRevokeSerializer,
        responses=CertificateSerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = CertificateRevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = selectors.certificate_get(user=request.user, pk=id_or_404(pk))  # else 404
        certificate = issuing.certificate_revoke(
            actor=request.user, certificate=certificate, reason=data.validated_data["reason"]
        )
        return Response(CertificateSerializer(certificate).data)

    @extend_schema(summary="查看证书（PDF）", responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        certificate = selectors.certificate_file_get(user=request.user, pk=id_or_404(pk))
        return pdf.certificate_response(certificate)


def register(router) -> None:
    router.register("issuing-units", IssuingUnitViewSet, basename="issuing-unit")
    router.register("certificate-numbers", CertificateNumberViewSet, basename="certificate-number")
    router.register("certificates", CertificateViewSet, basename="certificate")
    api_national.register(router)
    api_issue_jobs.register(router)
    api_reissue.register(router)


urlpatterns = api_verify.urlpatterns

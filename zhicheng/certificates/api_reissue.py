"""/api/v1/certificate-reissues/ (证书遗失补发) and /api/v1/employee-certificates/ (本单位人员证书)
— thin: selectors read (scoped), services write."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.certificates import pdf, selectors
from zhicheng.certificates.listings import EMPLOYEE_CERTIFICATES, REISSUES
from zhicheng.certificates.models import REISSUE_REASON_MAX, Certificate, CertificateReissue
from zhicheng.certificates.services import reissue
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404
from zhicheng.tabular.api import TabularActionsMixin


class ReissueSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="certificate.number.number", read_only=True)
    name = serializers.CharField(source="certificate.holding.person.name", read_only=True)
    title = serializers.CharField(source="certificate.holding.title.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = CertificateReissue
        fields = [
            "id",
            "certificate",
            "number",
            "name",
            "title",
            "reason",
            "status",
            "status_display",
            "requested_at",
            "decided_at",
            "opinion",
            "copy",
        ]
        read_only_fields = fields


class ReissueRequestSerializer(serializers.Serializer):
    certificate = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="证书")
    reason = serializers.CharField(max_length=REISSUE_REASON_MAX, label="补发原因")


class ReissueDecisionSerializer(serializers.Serializer):
    opinion = serializers.CharField(
        max_length=reissue.OPINION_MAX, required=False, allow_blank=True, label="办理意见"
    )


class ReissuePermissions(BasePermission):
    """Reading: officers (view) and holders (their own); asking: a holder; deciding: reissue."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action_name = getattr(view, "action", None)
        if action_name in ("approve", "refuse"):
            return user.has_perm(reissue.REISSUE)
        if action_name == "create":
            return user.has_perm(reissue.REQUEST)
        return user.has_perm("certificates.view_certificatereissue") or user.has_perm(
            reissue.REQUEST
        )


class CertificateReissueViewSet(
    ListingViewSetMixin, TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """证书遗失补发: ``GET`` lists the requests of the caller's scope (a holder: his own;
    ``?name=``, ``?number=``, ``?status=``); ``POST`` ``{"certificate", "reason"}`` — the holder
    asks for a new copy; ``POST <id>/approve/`` ``{"opinion"}`` re-issues it (same number and
    content, new signature, 补发 mark; the old copy verifies as 已补发); ``POST <id>/refuse/``
    ``{"opinion"}`` (required) refuses."""

    listing = REISSUES
    serializer_class = ReissueSerializer
    permission_classes = [ReissuePermissions]
    queryset = CertificateReissue.objects.none()

    @extend_schema(
        summary="申请补发（证书持有人）",
        request=ReissueRequestSerializer,
        responses={201: ReissueSerializer},
    )
    def create(self, request):
        data = ReissueRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = reissue.reissue_request(
            actor=request.user,
            certificate=data.validated_data["certificate"],
            reason=data.validated_data["reason"],
        )
        return Response(ReissueSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="补发", request=ReissueDecisionSerializer, responses=ReissueSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = ReissueDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = selectors.reissue_get(user=request.user, pk=id_or_404(pk))
        row = reissue.reissue_approve(
            actor=request.user,
            reissue=row,
            opinion=data.validated_data.get("opinion", ""),
            public_url=pdf.public_url(request),
        )
        return Response(ReissueSerializer(row).data)

    @extend_schema(
        summary="不予补发（须填写原因）",
        request=ReissueDecisionSerializer,
        responses=ReissueSerializer,
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = ReissueDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = selectors.reissue_get(user=request.user, pk=id_or_404(pk))
        row = reissue.reissue_refuse(
            actor=request.user, reissue=row, opinion=data.validated_data.get("opinion", "")
        )
        return Response(ReissueSerializer(row).data)


class EmployeeCertificateSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="number.number", read_only=True)
    name = serializers.CharField(source="holding.person.name", read_only=True)
    id_number = serializers.CharField(source="holding.person.masked_id_number", read_only=True)
    organization_name = serializers.CharField(source="employer_name", read_only=True)
    title = serializers.CharField(source="holding.title.name", read_only=True)
    level_display = DisplayField(source="holding.get_level_display")
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", read_only=True
    )
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "name",
            "id_number",
            "organization_name",
            "title",
            "level_display",
            "issuing_unit_name",
            "status",
            "status_display",
            "copy",
            "issued_at",
        ]
        read_only_fields = fields


class EmployeePermissions(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(selectors.VIEW_EMPLOYEE))


class EmployeeCertificateViewSet(
    ListingViewSetMixin, TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """本单位人员证书: the certificates of the people of the employer's units (``?name=``,
    ``?number=``, ``?status=``); 证件号码 masked."""

    listing = EMPLOYEE_CERTIFICATES
    serializer_class = EmployeeCertificateSerializer
    permission_classes = [EmployeePermissions]
    queryset = Certificate.objects.none()


def register(router) -> None:
    router.register(
        "certificate-reissues", CertificateReissueViewSet, basename="certificate-reissue"
    )
    router.register(
        "employee-certificates", EmployeeCertificateViewSet, basename="employee-certificate"
    )

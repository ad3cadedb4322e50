"""/api/v1/quota-declarations/ (1.22) — thin: selectors read (scoped), services write.

- ``GET /quota-declarations/`` (``?name=`` unit name, ``?year=``, ``?organization=``) and
  ``GET /quota-declarations/<id>/`` — 职数申报查询 and 详情; ``export/`` = 导出查询结果.
- ``POST /quota-declarations/`` — an employer's officer declares for their own organization;
  ``PATCH /quota-declarations/<id>/`` — 修改 (the year stays).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.quotas import selectors, services
from zhicheng.quotas.listings import QUOTA_DECLARATIONS
from zhicheng.quotas.models import QuotaDeclaration
from zhicheng.tabular.api import TabularActionsMixin


class QuotaDeclarationPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class QuotaDeclarationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    senior_vacant = serializers.SerializerMethodField()
    intermediate_vacant = serializers.SerializerMethodField()
    declared_by_name = serializers.CharField(source="declared_by", read_only=True)

    class Meta:
        model = QuotaDeclaration
        fields = [
            "id",
            "organization",
            "organization_name",
            "year",
            *services.COUNT_FIELDS,
            "senior_vacant",
            "intermediate_vacant",
            *services.TEXT_FIELDS,
            "declared_by_name",
            "declared_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_senior_vacant(self, declaration: QuotaDeclaration) -> int:
        return declaration.vacant("senior")

    def get_intermediate_vacant(self, declaration: QuotaDeclaration) -> int:
        return declaration.vacant("intermediate")


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=services.COUNT_MAX, required=False)


class QuotaDeclarationWriteSerializer(serializers.Serializer):
    senior_approved = _count()
    senior_filled = _count()
    senior_requested = _count()
    intermediate_approved = _count()
    intermediate_filled = _count()
    intermediate_requested = _count()
    contact_name = serializers.CharField(max_length=50, required=False)
    contact_phone = serializers.CharField(max_length=30, required=False)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class QuotaDeclarationCreateSerializer(QuotaDeclarationWriteSerializer):
    year = serializers.IntegerField(label="年度")
    contact_name = serializers.CharField(max_length=50, label="联系人")
    contact_phone = serializers.CharField(max_length=30, label="联系电话")


class QuotaDeclarationViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = QUOTA_DECLARATIONS
    serializer_class = QuotaDeclarationSerializer
    permission_classes = [QuotaDeclarationPermissions]
    queryset = QuotaDeclaration.objects.none()

    def get_object(self):
        obj = selectors.quota_declaration_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    @extend_schema(
        summary="申报职数（本单位）",
        request=QuotaDeclarationCreateSerializer,
        responses={201: QuotaDeclarationSerializer},
    )
    def create(self, request):
        data = QuotaDeclarationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = services.quota_declaration_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(declaration).data, status=201)

    @extend_schema(
        summary="修改职数申报",
        request=QuotaDeclarationWriteSerializer,
        responses={200: QuotaDeclarationSerializer},
    )
    def partial_update(self, request, pk=None):
        declaration = self.get_object()
        data = QuotaDeclarationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = services.quota_declaration_update(
            actor=request.user, declaration=declaration, **data.validated_data
        )
        return Response(self.get_serializer(declaration).data)

    @extend_schema(
        request=QuotaDeclarationWriteSerializer, responses={200: QuotaDeclarationSerializer}
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)


def register(router) -> None:
    router.register("quota-declarations", QuotaDeclarationViewSet, basename="quota-declaration")

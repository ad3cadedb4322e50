from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import query_flag, query_text
from zhicheng.common.scoping import scoped
from zhicheng.orgs import selectors, services
from zhicheng.orgs.listings import ORGANIZATIONS
from zhicheng.orgs.models import Organization
from zhicheng.tabular.api import TabularActionsMixin


@extend_schema_field(OpenApiTypes.INT)
class ScopedParentField(serializers.PrimaryKeyRelatedField):
    """The parent is looked up in the requester's scope: unknown and out of scope read alike."""

    default_error_messages = {
        "does_not_exist": "上级机构不存在或不在管辖范围内",
        "incorrect_type": "上级机构应为机构编号",
    }

    def get_queryset(self):
        return scoped(Organization.objects.all(), self.context["request"].user)


class OrganizationSerializer(serializers.ModelSerializer):
    parent = ScopedParentField(required=False, allow_null=True, write_only=True)
    parent_id = serializers.SerializerMethodField()
    org_type_display = DisplayField(source="get_org_type_display")
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "uscc",
            "org_type",
            "org_type_display",
            "region_code",
            "status",
            "status_display",
            "parent",
            "parent_id",
            "depth",
        ]
        read_only_fields = ["status", "depth"]
        # Uniqueness and USCC format are checked once, by the model in the service.
        extra_kwargs = {"uscc": {"validators": []}}

    def get_parent_id(self, obj: Organization) -> int | None:
        parent_ids = self.context.get("parent_ids")
        if parent_ids is None:  # a single object: one query is fine
            parent_ids = selectors.organization_parent_ids([obj])
        return parent_ids.get(obj.pk)


class OrganizationPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class OrganizationViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """机构. ``?search=`` is the typeahead: name substring, USCC prefix, pinyin initials.
    ``import/`` and ``export/`` come from the tabular engine (spec key ``organizations``)."""

    import_key = "organizations"
    listing = ORGANIZATIONS

    serializer_class = OrganizationSerializer
    permission_classes = [OrganizationPermissions]
    queryset = Organization.objects.none()

    def get_object(self):
        obj = selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        params = request.query_params
        if "search" in params:
            items = selectors.organization_typeahead(
                user=request.user,
                search=query_text(params, "search"),
                org_type=query_text(params, "org_type"),
                active_only=not query_flag(params, "include_deregistered"),
            )
            return Response({"results": self._serialize_many(items)})
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize_many(page))

    def _serialize_many(self, items) -> list:
        """Parents of the whole page in one query, not one per row."""
        items = list(items)
        context = {
            **self.get_serializer_context(),
            "parent_ids": selectors.organization_parent_ids(items),
        }
        return OrganizationSerializer(items, many=True, context=context).data

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org = services.organization_create(
            actor=request.user,
            parent=data.get("parent"),
            name=data["name"],
            uscc=data["uscc"],
            org_type=data["org_type"],
            region_code=data["region_code"],
        )
        return Response(self.get_serializer(org).data, status=201)

    def partial_update(self, request, pk=None):
        org = self.get_object()
        serializer = self.get_serializer(org, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "parent"}
        org = services.organization_update(actor=request.user, organization=org, **data)
        return Response(self.get_serializer(org).data)

    @extend_schema(summary="注销机构", request=None, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def deregister(self, request, pk=None):
        org = services.organization_deregister(actor=request.user, organization=self.get_object())
        return Response(self.get_serializer(org).data)


def register(router) -> None:
    router.register("organizations", OrganizationViewSet, basename="organization")

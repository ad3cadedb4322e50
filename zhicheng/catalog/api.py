"""/api/v1/specialties/, /api/v1/title-series/, /api/v1/titles/ — thin: selectors read,
services write. Reading the catalogue needs only a login; writing needs the model permission
and the row in the actor's management scope (403 with the reason otherwise)."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.catalog import selectors, services
from zhicheng.catalog.listings import SPECIALTIES, TITLES
from zhicheng.catalog.models import Specialty, Title, TitleLevel, TitleSeries
from zhicheng.common.api import Pagination
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import query_flag, query_text
from zhicheng.tabular.api import TabularActionsMixin


class CatalogPermissions(DjangoModelPermissions):
    """Any signed-in user reads (reference data); add/change/delete need the model permission."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": [], "HEAD": [], "OPTIONS": []}


class CatalogPagination(Pagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


# --- Specialties ----------------------------------------------------------------------------


class SpecialtyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialty
        fields = ["id", "code", "name"]


class SpecialtySerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    has_children = serializers.SerializerMethodField()
    children_count = serializers.IntegerField(source="numchild", read_only=True)
    is_category = serializers.BooleanField(read_only=True)
    is_standard = serializers.BooleanField(read_only=True)
    ancestors = serializers.SerializerMethodField()

    class Meta:
        model = Specialty
        fields = [
            "id",
            "code",
            "name",
            "depth",
            "parent",
            "has_children",
            "children_count",
            "is_category",
            "is_standard",
            "ancestors",
        ]

    def get_parent(self, obj: Specialty) -> int | None:
        if obj.depth <= 1:
            return None
        if getattr(obj, "ancestors", None):
            return obj.ancestors[-1].pk
        parent = self.context.get("parent")
        if parent is not None:
            return parent.pk
        parent_ids = self.context.get("parent_ids")
        if parent_ids is not None:  # a list: the parents of the whole page, loaded at once
            return parent_ids.get(obj.pk)
        found = selectors.specialty_parent(obj)
        return found.pk if found else None

    def get_has_children(self, obj: Specialty) -> bool:
        return obj.numchild > 0

    def get_ancestors(self, obj: Specialty) -> list[dict] | None:
        ancestors = getattr(obj, "ancestors", None)
        if ancestors is None:
            return None
        return SpecialtyRefSerializer(ancestors, many=True).data


class SpecialtyCreateSerializer(serializers.Serializer):
    # No parent = a new 栏目大类, which the service refuses with the reason.
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Specialty.objects.all(), label="上级节点", required=False, allow_null=True
    )
    code = serializers.CharField(max_length=20, label="专业代码")
    name = serializers.CharField(max_length=100, label="专业学科名称")


class SpecialtyUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, required=False, label="专业代码")
    name = serializers.CharField(max_length=100, required=False, label="专业学科名称")


class SpecialtyViewSet(ListingViewSetMixin, TabularActionsMixin, viewsets.ModelViewSet):
    """职称专业 tree. ``?parent=<id>`` lists one node's children (lazy expand), no parameter the
    栏目大类; ``?search=`` matches code prefix or name substring and returns each match with its
    ``ancestors``; ``?code=`` / ``?name=`` give a flat filtered list in tree order. ``import/`` (专业代码,
    专业学科名称, 上级专业代码) and ``export/`` go through the shared Excel engine."""

    import_key = "specialties"
    listing = SPECIALTIES
    permission_classes = [CatalogPermissions]
    pagination_class = CatalogPagination
    queryset = Specialty.objects.none()
    serializer_class = SpecialtySerializer
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self):
        params = self.request.query_params
        if parent_id := query_text(params, "parent"):
            parent = selectors.specialty_get(user=self.request.user, pk=parent_id)
            self._parent = parent
            return selectors.specialty_children(user=self.request.user, parent=parent)
        if filters := SPECIALTIES.filters_from(params, strict=True):
            return SPECIALTIES.queryset(self.request.user, filters)
        return selectors.specialty_children(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "parent": getattr(self, "_parent", None)}

    def get_object(self):
        obj = selectors.specialty_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        if "search" in request.query_params:
            items = selectors.specialty_search(
                user=request.user, term=query_text(request.query_params, "search")
            )
            return Response({"results": self.get_serializer(items, many=True).data})
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "parent_ids": selectors.specialty_parent_ids(items),
        }
        data = self.get_serializer(items, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        selectors.attach_ancestors([obj])
        return Response(self.get_serializer(obj).data)

    def _managed_object(self) -> Specialty:
        obj = self.get_object()
        if not selectors.specialty_can_manage(user=self.request.user, specialty=obj):
            raise exceptions.PermissionDenied("该专业由其他机构维护，您无权修改或删除")
        return obj

    @extend_schema(request=SpecialtyCreateSerializer, responses={201: SpecialtySerializer})
    def create(self, request, *args, **kwargs):
        data = SpecialtyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        node = services.specialty_create(
            actor=request.user,
            parent=data.validated_data.get("parent"),
            code=data.validated_data["code"],
            name=data.validated_data["name"],
        )
        return Response(self.get_serializer(node).data, status=201)

    @extend_schema(request=SpecialtyUpdateSerializer, responses={200: SpecialtySerializer})
    def update(self, request, *args, **kwargs):
        node = self._managed_object()
        data = SpecialtyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        node = services.specialty_update(actor=request.user, specialty=node, **data.validated_data)
        return Response(self.get_serializer(node).data)

    @extend_schema(request=SpecialtyUpdateSerializer, responses={200: SpecialtySerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.specialty_delete(actor=request.user, specialty=self._managed_object())
        return Response(status=204)


# --- Title series ---------------------------------------------------------------------------


class TitleSeriesSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = TitleSeries
        fields = ["id", "code", "name", "full_name", "parent", "sort_order"]


class TitleSeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """职称系列 (read-only: series ship with the system). ``?parent=<id>`` lists sub-series,
    ``?top=1`` only top-level series."""

    permission_classes = [CatalogPermissions]
    pagination_class = None
    queryset = TitleSeries.objects.none()
    serializer_class = TitleSeriesSerializer

    def get_queryset(self):
        params = self.request.query_params
        parent = None
        if parent_id := query_text(params, "parent"):
            parent = selectors.title_series_get(user=self.request.user, pk=parent_id)
        return selectors.title_series_list(
            user=self.request.user, parent=parent, top_only=query_flag(params, "top")
        )

    def get_object(self):
        obj = selectors.title_series_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


# --- Titles ---------------------------------------------------------------------------------


class TitleSerializer(serializers.ModelSerializer):
    series_name = serializers.CharField(source="series.__str__", read_only=True)
    level_display = DisplayField(source="get_level_display")
    is_standard = serializers.BooleanField(read_only=True)

    class Meta:
        model = Title
        fields = ["id", "series", "series_name", "level", "level_display", "name", "is_standard"]


class TitleCreateSerializer(serializers.Serializer):
    series = serializers.PrimaryKeyRelatedField(
        queryset=TitleSeries.objects.all(), label="职称系列"
    )
    level = serializers.ChoiceField(choices=TitleLevel.choices, label="职称级别")
    name = serializers.CharField(max_length=50, label="职称名称")


class TitleUpdateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TitleLevel.choices, required=False, label="职称级别")
    name = serializers.CharField(max_length=50, required=False, label="职称名称")


class TitleViewSet(ListingViewSetMixin, TabularActionsMixin, viewsets.ModelViewSet):
    """职称. Filters: ``?series=<id>`` (a group series includes its sub-series), ``?level=``,
    ``?name=`` (substring); ``export/`` with the same filters."""

    listing = TITLES
    permission_classes = [CatalogPermissions]
    pagination_class = CatalogPagination
    queryset = Title.objects.none()
    serializer_class = TitleSerializer

    def get_queryset(self):
        params = self.request.query_params
        if series_id := query_text(params, "series"):
            # An unknown series is 404 here (the export ignores it).
            selectors.title_series_get(user=self.request.user, pk=series_id)
        filters = TITLES.filters_from(params, strict=True)
        if "name" not in filters and (search := query_text(params, "search")):
            filters["name"] = search
        return TITLES.queryset(self.request.user, filters)

    def get_object(self):
        obj = selectors.title_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def _managed_object(self) -> Title:
        obj = self.get_object()
        if not selectors.title_can_manage(user=self.request.user, title=obj):
            raise exceptions.PermissionDenied("该职称由其他机构维护，您无权修改或删除")
        return obj

    @extend_schema(request=TitleCreateSerializer, responses={201: TitleSerializer})
    def create(self, request, *args, **kwargs):
        data = TitleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        title = services.title_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(title).data, status=201)

    @extend_schema(request=TitleUpdateSerializer, responses={200: TitleSerializer})
    def update(self, request, *args, **kwargs):
        title = self._managed_object()
        data = TitleUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        title = services.title_update(actor=request.user, title=title, **data.validated_data)
        return Response(self.get_serializer(title).data)

    @extend_schema(request=TitleUpdateSerializer, responses={200: TitleSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.title_delete(actor=request.user, title=self._managed_object())
        return Response(status=204)


def register(router) -> None:
    router.register("specialties", SpecialtyViewSet, basename="specialty")
    router.register("title-series", TitleSeriesViewSet, basename="title-series")
    router.register("titles", TitleViewSet, basename="title")

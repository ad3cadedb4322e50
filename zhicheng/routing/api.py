"""/api/v1/acceptance-offices/ and /api/v1/review-routes/ (thin: services and selectors)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.models import DEREGISTER_REASON_MAX
from zhicheng.common.query import query_text
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization
from zhicheng.routing import selectors, services
from zhicheng.routing.listings import ACCEPTANCE_OFFICES, ROUTES
from zhicheng.routing.models import (
    OFFICE_METHODS,
    AcceptanceOffice,
    NodeType,
    RouteEdge,
    RouteKind,
)
from zhicheng.routing.notice import notice_html
from zhicheng.routing.resolve import RouteChain
from zhicheng.tabular.api import TabularActionsMixin

# --- fields and permissions -------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ScopedOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization id the requesting user may see; others look unknown (ids can't be probed)."""

    default_error_messages = {
        "required": "请选择机构",
        "does_not_exist": "机构不存在或不在您的管辖范围内",
        "incorrect_type": "机构编号格式不正确",
        "null": "请选择机构",
    }

    def get_queryset(self):
        return scoped(Organization.objects.all(), self.context["request"].user)


def _choice(choices, label: str, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        error_messages={
            "invalid_choice": f"{label}“{{input}}”无效",
            "required": f"请选择{label}",
            "blank": f"请选择{label}",
            "null": f"请选择{label}",
        },
        **kwargs,
    )


class ActionPermission(BasePermission):
    """Each viewset action needs one permission (``view.action_permissions``)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = view.action_permissions.get(view.action)
        if needed is None:
            return False
        return needed == "" or user.has_perm(needed)


class OrgBrief(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "uscc"]


# --- acceptance offices -----------------------------------------------------------------------


class AcceptanceOfficeSerializer(serializers.ModelSerializer):
    organization = OrgBrief(read_only=True)
    node_type_display = DisplayField(source="get_node_type_display")
    level_display = DisplayField(source="get_level_display")
    acquisition_method_display = DisplayField(source="get_acquisition_method_display")
    status_display = DisplayField(source="get_status_display")
    deregistered_by = serializers.CharField(
        source="deregistered_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AcceptanceOffice
        fields = [
            "id",
            "node_type",
            "node_type_display",
            "organization",
            "level",
            "level_display",
            "acquisition_method",
            "acquisition_method_display",
            "notice",
            "status",
            "status_display",
            "deregister_reason",
            "deregistered_by",
            "deregistered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


OFFICE_METHOD_CHOICES = [(m.value, m.label) for m in OFFICE_METHODS]


class AcceptanceOfficeInput(serializers.Serializer):
    node_type = _choice(NodeType.choices, "受理节点类型")
    organization = ScopedOrganizationField()
    level = _choice(TitleLevel.choices, "职称等级")
    acquisition_method = _choice(OFFICE_METHOD_CHOICES, "取得方式")
    notice = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class DeregisterInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=DEREGISTER_REASON_MAX, label="注销原因"
    )


class AcceptanceOfficeViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """职称初定/认定受理机构 (guide 1.3). ``import/`` takes ``level`` and ``acquisition_method``."""

    serializer_class = AcceptanceOfficeSerializer
    permission_classes = [ActionPermission]
    queryset = AcceptanceOffice.objects.none()
    action_permissions = {
        "list": "routing.view_acceptanceoffice",
        "retrieve": "routing.view_acceptanceoffice",
        "create": "routing.add_acceptanceoffice",
        "partial_update": "routing.change_acceptanceoffice",
        "update": "routing.change_acceptanceoffice",
        "deregister": "routing.deregister_acceptanceoffice",
        "notice": "",
        "import_file": "routing.add_acceptanceoffice",
        "export_file": "routing.view_acceptanceoffice",
    }
    import_key = ACCEPTANCE_OFFICES.name
    listing = ACCEPTANCE_OFFICES

    def get_object(self):
        return selectors.acceptance_office_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=AcceptanceOfficeInput, responses={201: AcceptanceOfficeSerializer})
    def create(self, request):
        data = self._valid(AcceptanceOfficeInput(data=request.data, context={"request": request}))
        office = services.acceptance_office_create(actor=request.user, **data)
        return Response(AcceptanceOfficeSerializer(office).data, status=201)

    def update(self, request, pk=None, partial=False):
        office = self.get_object()
        data = self._valid(
            AcceptanceOfficeInput(data=request.data, partial=True, context={"request": request})
        )
        notice = data.pop("notice", None)
        if data:
            office = services.acceptance_office_update(actor=request.user, office=office, **data)
        if notice is not None:
            office = services.acceptance_office_notice_update(
                actor=request.user, office=office, notice=notice
            )
        return Response(AcceptanceOfficeSerializer(office).data)

    @extend_schema(
        request=AcceptanceOfficeInput(partial=True), responses=AcceptanceOfficeSerializer
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=DeregisterInput, responses=AcceptanceOfficeSerializer)
    @action(detail=True, methods=["post"])
    def deregister(self, request, pk=None):
        data = self._valid(DeregisterInput(data=request.data))
        office = services.acceptance_office_deregister(
            actor=request.user, office=self.get_object(), reason=data.get("reason", "")
        )
        return Response(AcceptanceOfficeSerializer(office).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, required=True, enum=TitleLevel.values),
            OpenApiParameter("acquisition_method", str, required=True, enum=list(OFFICE_METHODS)),
        ],
        responses=inline_serializer(
            "AcceptanceOfficeNotice",
            {
                "office": serializers.CharField(),
                "level": serializers.CharField(),
                "acquisition_method": serializers.CharField(),
                "notice": serializers.CharField(),
                "notice_html": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def notice(self, request):
        """申报须知 for the user's own unit: the office at the top of its 初定/认定 route."""
        level = query_text(request.query_params, "level")
        method = query_text(request.query_params, "acquisition_method")
        if level not in TitleLevel.values or method not in OFFICE_METHODS:
            raise ApplicationError("请选择职称等级和取得方式（初定或认定）")
        if request.user.organization_id is None:
            raise ApplicationError("您的账号没有所属单位")
        office = selectors.acceptance_office_for(
            employer=request.user.organization, level=level, acquisition_method=method
        )
        if office is None:
            raise ApplicationError(
                f"您所在单位尚未配置{TitleLevel(level).label}"
                f"{AcquisitionMethod(method).label}的受理机构，请联系主管部门"
            )
        return Response(
            {
                "office": office.organization.name,
                "level": level,
                "acquisition_method": method,
                "notice": office.notice,
                "notice_html": str(notice_html(office.notice)),
            }
        )

    @staticmethod
    def _valid(serializer: serializers.Serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# --- review routes ----------------------------------------------------------------------------


class RouteEdgeSerializer(serializers.ModelSerializer):
    superior = OrgBrief(read_only=True)
    subordinate = OrgBrief(read_only=True)
    kind_display = DisplayField(source="get_kind_display")
    level_display = DisplayField(source="get_level_display")
    node_type_display = DisplayField(source="get_node_type_display")
    status_display = DisplayField(source="get_status_display")
    deregistered_by = serializers.CharField(
        source="deregistered_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RouteEdge
        fields = [
            "id",
            "kind",
            "kind_display",
            "level",
            "level_display",
            "superior",
            "subordinate",
            "node_type",
            "node_type_display",
            "status",
            "status_display",
            "deregister_reason",
            "deregistered_by",
            "deregistered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RouteEdgeInput(serializers.Serializer):
    kind = _choice(RouteKind.choices, "审核路径类型")
    level = _choice(TitleLevel.choices, "职称等级")
    superior = ScopedOrganizationField(required=False)
    subordinate = ScopedOrganizationField()
    node_type = _choice(NodeType.choices, "下级节点类型")


class RouteEdgeUpdateInput(serializers.Serializer):
    superior = ScopedOrganizationField(required=False)
    subordinate = ScopedOrganizationField(required=False)
    node_type = _choice(NodeType.choices, "下级节点类型", required=False)


def chain_data(chain: RouteChain) -> dict:
    return {
        "employer": chain.employer_id,
        "kind": chain.kind,
        "level": chain.level,
        "route": chain.label,
        "complete": chain.complete,
        "missing": chain.missing,
        "nodes": [
            {
                "id": node.organization_id,
                "name": node.name,
                "node_type": node.node_type,
                "node_type_display": node.node_type_label,
                "is_top": node.is_top,
            }
            for node in chain.nodes
        ],
    }


class RouteEdgeViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """审核路径 (guide 1.4–1.8): the 下级机构 links of the five routes, ``?kind=`` to pick one.

    ``import/`` takes ``kind`` and ``level``; ``export/`` the list filters (``kind``, ``level``,
    ``superior``, ``subordinate``, ``node_type``, ``status``).
    """

    serializer_class = RouteEdgeSerializer
    permission_classes = [ActionPermission]
    queryset = RouteEdge.objects.none()
    action_permissions = {
        "list": "routing.view_routeedge",
        "retrieve": "routing.view_routeedge",
        "preview": "routing.view_routeedge",
        "create": "routing.add_routeedge",
        "partial_update": "routing.change_routeedge",
        "update": "routing.change_routeedge",
        "deregister": "routing.deregister_routeedge",
        "import_file": "routing.add_routeedge",
        "export_file": "routing.view_routeedge",
    }
    import_key = ROUTES.name
    listing = ROUTES

    def get_object(self):
        return selectors.route_edge_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=RouteEdgeInput, responses={201: RouteEdgeSerializer})
    def create(self, request):
        serializer = RouteEdgeInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        superior = data.pop("superior", None) or request.user.organization
        if superior is None:
            raise ApplicationError("请选择上级机构")
        edge = services.route_edge_create(actor=request.user, superior=superior, **data)
        return Response(RouteEdgeSerializer(edge).data, status=201)

    def update(self, request, pk=None, partial=False):
        edge = self.get_object()
        serializer = RouteEdgeUpdateInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        edge = services.route_edge_update(
            actor=request.user, edge=edge, **dict(serializer.validated_data)
        )
        return Response(RouteEdgeSerializer(edge).data)

    @extend_schema(request=RouteEdgeUpdateInput, responses=RouteEdgeSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=DeregisterInput, responses=RouteEdgeSerializer)
    @action(detail=True, methods=["post"])
    def deregister(self, request, pk=None):
        serializer = DeregisterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        edge = services.route_edge_deregister(
            actor=request.user,
            edge=self.get_object(),
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(RouteEdgeSerializer(edge).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("employer", int, required=True, description="用人单位（机构 id）"),
            OpenApiParameter("kind", str, required=True, enum=RouteKind.values),
            OpenApiParameter("level", str, required=True, enum=TitleLevel.values),
        ],
        responses=inline_serializer(
            "RouteChain",
            {
                "employer": serializers.IntegerField(),
                "kind": serializers.CharField(),
                "level": serializers.CharField(),
                "route": serializers.CharField(),
                "complete": serializers.BooleanField(),
                "missing": serializers.CharField(),
                "nodes": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def preview(self, request):
        """``?employer=&kind=&level=``: the chain from the employer to the top, or the gap."""
        params = request.query_params
        employer, kind, level = (query_text(params, k) for k in ("employer", "kind", "level"))
        if not (employer and kind and level):
            raise ApplicationError("请选择用人单位、审核路径和职称等级")
        if kind not in RouteKind.values:
            raise ApplicationError(f"审核路径类型“{kind}”无效")
        if level not in TitleLevel.values:
            raise ApplicationError(f"职称等级“{level}”无效")
        chain = selectors.route_preview(
            user=request.user, employer_id=employer, kind=kind, level=level
        )
        return Response(chain_data(chain))


def register(router) -> None:
    router.register("acceptance-offices", AcceptanceOfficeViewSet, basename="acceptance-office")
    router.register("review-routes", RouteEdgeViewSet, basename="review-route")

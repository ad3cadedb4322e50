"""/api/v1/experts/ (专家库) and /api/v1/plans/<id>/panel/ (评审专家抽取) — thin: selectors read
(scoped), services write.

- ``GET /experts/`` filters: ``name``, ``committee_name``, ``specialty_name``, ``level``
  (full|deputy), ``status`` (in_pool|out), ``employer_name``;
  ``GET /experts/<id>/``; ``GET /experts/export/`` (导出); ``POST /experts/import/`` (导入预览).
- ``POST /experts/`` ``{"committee"?, "id_type"?, "id_number", "name", "mobile"?, "series",
  "specialty", "level", "employer", "term_start", "term_end", "username"?}`` — 入库; the answer
  carries the login's ``initial_password`` once (empty when the person already had one).
- ``PATCH /experts/<id>/`` — series, specialty, level, employer, term_start, term_end.
- ``POST /experts/<id>/leave/`` ``{"reason"}`` — 出库; ``POST /experts/<id>/return/`` — 入库.
- ``GET /plans/<plan_pk>/panel/`` — the seed and members of the plan's latest draw;
  ``POST /plans/<plan_pk>/panel/draw/`` ``{"reason"}`` — 抽取 (a redraw needs the reason);
  the committee account of an approved plan only; ``GET /plans/<plan_pk>/panel/export/`` the
  panel as .xlsx.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import listing_schema
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404
from zhicheng.experts import selectors, services
from zhicheng.experts.listings import EXPERTS, PANEL
from zhicheng.experts.models import Expert, ExpertLevel
from zhicheng.experts.tabular import IMPORT_KEY
from zhicheng.orgs.models import Organization
from zhicheng.persons.models import IdType
from zhicheng.plans import selectors as plan_selectors
from zhicheng.tabular.api import EXPORT_JOB_SCHEMA, XLSX, XLSX_RESPONSE, TabularActionsMixin


class ExpertSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_type = serializers.CharField(source="person.id_type", read_only=True)
    id_number = serializers.SerializerMethodField()
    mobile = serializers.CharField(source="person.mobile", read_only=True)
    username = serializers.CharField(source="account.username", read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    series_name = serializers.CharField(source="series.name", read_only=True)
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)
    level_display = DisplayField(source="get_level_display")
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Expert
        fields = [
            "id",
            "person",
            "name",
            "id_type",
            "id_number",
            "mobile",
            "username",
            "committee",
            "committee_name",
            "series",
            "series_name",
            "specialty",
            "specialty_name",
            "level",
            "level_display",
            "employer",
            "employer_name",
            "term_start",
            "term_end",
            "status",
            "status_display",
            "leave_reason",
            "left_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, obj: Expert) -> str:
        request = self.context.get("request")
        return obj.person.id_number_for(getattr(request, "user", None))


class ExpertCreatedSerializer(ExpertSerializer):
    initial_password = serializers.CharField(
        read_only=True, help_text="专家账号的初始密码，仅此一次；该人员已有专家账号时为空"
    )

    class Meta(ExpertSerializer.Meta):
        fields = [*ExpertSerializer.Meta.fields, "initial_password"]
        read_only_fields = fields


class ExpertFieldsSerializer(serializers.Serializer):
    series = serializers.PrimaryKeyRelatedField(
        label="职称系列", queryset=TitleSeries.objects.all()
    )
    specialty = serializers.PrimaryKeyRelatedField(label="专业", queryset=Specialty.objects.all())
    level = serializers.ChoiceField(label="职称级别", choices=ExpertLevel.choices)
    employer = serializers.PrimaryKeyRelatedField(
        label="工作单位", queryset=Organization.objects.all()
    )
    term_start = serializers.DateField(label="聘任期起")
    term_end = serializers.DateField(label="聘任期止")


class ExpertCreateSerializer(ExpertFieldsSerializer):
    committee = serializers.IntegerField(
        label="所属评委会",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="人社经办必填；评委会账号不填（即本评委会）",
    )
    id_type = serializers.ChoiceField(
        label="证件类型", choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = serializers.CharField(label="证件号码", max_length=32)
    name = serializers.CharField(label="姓名", max_length=50)
    mobile = serializers.CharField(label="手机号", max_length=11, required=False, default="")
    username = serializers.CharField(
        label="专家账号", max_length=150, required=False, allow_blank=True, default=""
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label="原因", max_length=1000, required=False, allow_blank=True, default=""
    )


class ExpertPermissions(BasePermission):
    action_perms = {
        "list": "experts.view_expert",
        "retrieve": "experts.view_expert",
        "export_file": "experts.view_expert",
        "import_file": "experts.add_expert",
        "create": "experts.add_expert",
        "partial_update": "experts.change_expert",
        "leave": "experts.leave_expert",
        "rejoin": "experts.leave_expert",
    }

    def has_permission(self, request, view) -> bool:
        perm = self.action_perms.get(view.action)
        return bool(
            request.user and request.user.is_authenticated and perm and request.user.has_perm(perm)
        )


@listing_schema(EXPERTS)
class ExpertViewSet(
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ExpertSerializer
    export_key = EXPERTS.name
    import_key = IMPORT_KEY
    listing = EXPERTS
    permission_classes = [ExpertPermissions]
    queryset = Expert.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return EXPERTS.from_params(self.request.user, self.request.query_params, strict=True)

    def get_object(self):
        return selectors.expert_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="专家入库",
        request=ExpertCreateSerializer,
        responses={201: ExpertCreatedSerializer},
    )
    def create(self, request):
        serializer = ExpertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        added = services.expert_add(actor=request.user, **serializer.validated_data)
        added.expert.initial_password = added.initial_password
        data = ExpertCreatedSerializer(added.expert, context={"request": request}).data
        return Response(data, status=201)

    @extend_schema(summary="修改专家", request=ExpertFieldsSerializer)
    def partial_update(self, request, pk=None):
        expert = self.get_object()
        serializer = ExpertFieldsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_update(
            actor=request.user, expert=expert, **serializer.validated_data
        )
        return Response(self.get_serializer(expert).data)

    @extend_schema(summary="专家出库", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        expert = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_leave(
            actor=request.user, expert=expert, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(expert).data)

    @extend_schema(summary="专家重新入库", request=None)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def rejoin(self, request, pk=None):
        expert = services.expert_return(actor=request.user, expert=self.get_object())
        return Response(self.get_serializer(expert).data)


# --- the panel of a plan ---------------------------------------------------------------------


class PanelMemberSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text="抽取顺序")
    role = serializers.CharField(help_text="member 评审专家 / alternate 备选专家")
    role_display = DisplayField(source="get_role_display")
    expert = serializers.IntegerField(source="expert_id")
    name = serializers.CharField(source="expert.person.name")
    specialty_name = serializers.CharField(source="requirement.specialty.name")
    requirement = serializers.IntegerField(source="requirement_id")
    level_display = DisplayField(source="expert.get_level_display")
    employer_name = serializers.CharField(source="expert.employer.name")


class PanelDrawSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="第几次抽取")
    seed = serializers.IntegerField(help_text="随机种子：同一种子、同一专家库得到同一专家组")
    reason = serializers.CharField(help_text="重新抽取原因")
    drawn_by = serializers.CharField()
    drawn_at = serializers.DateTimeField()


class PanelSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    draw = PanelDrawSerializer(allow_null=True, help_text="最近一次抽取；未抽取时为 null")
    members = PanelMemberSerializer(many=True)


def panel_payload(plan, request) -> dict:
    draw = selectors.panel_current_draw(plan=plan)
    return PanelSerializer(
        {"plan": plan.pk, "draw": draw, "members": list(selectors.panel_members(draw=draw))},
        context={"request": request},
    ).data


class PanelPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        perm = "experts.draw_panel" if view.action == "draw" else "experts.view_paneldraw"
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))


@extend_schema(
    parameters=[OpenApiParameter("plan_pk", int, OpenApiParameter.PATH, description="呈报方案 id")]
)
class PlanPanelViewSet(TabularActionsMixin, viewsets.GenericViewSet):
    """评审专家抽取 of one plan (its committee draws; HR officers read); ``export/`` its panel
    as .xlsx (the shared engine's ``plan-panel``)."""

    export_key = PANEL.name

    permission_classes = [PanelPermissions]
    serializer_class = PanelSerializer
    queryset = Expert.objects.none()
    pagination_class = None

    def _plan(self):
        return plan_selectors.plan_get(user=self.request.user, pk=id_or_404(self.kwargs["plan_pk"]))

    @extend_schema(summary="评审专家组（最近一次抽取）", responses=PanelSerializer)
    def show(self, request, plan_pk=None):
        return Response(panel_payload(self._plan(), request))

    @extend_schema(
        summary="抽取评审专家（重新抽取须填写原因）",
        request=ReasonSerializer,
        responses={201: PanelSerializer},
    )
    def export_params(self, request):
        # The plan is the path's; one the user may not read is a 404 before anything starts.
        return {"plan": str(self._plan().pk)}

    @extend_schema(
        summary="导出评审专家组（.xlsx）",
        responses={
            (200, XLSX): XLSX_RESPONSE,
            202: OpenApiResponse(EXPORT_JOB_SCHEMA, description="已转为后台导出任务"),
            403: OpenApiResponse(description="无权导出"),
            404: OpenApiResponse(description="方案不存在或无权访问"),
        },
    )
    def export(self, request, plan_pk=None):
        return self.export_file(request)

    def draw(self, request, plan_pk=None):
        plan = self._plan()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.panel_draw(
            actor=request.user, plan=plan, reason=serializer.validated_data["reason"]
        )
        return Response(panel_payload(plan, request), status=201)


def register(router) -> None:
    router.register("experts", ExpertViewSet, basename="experts")


# Under a plan, by id only (no collection of panels): URLs of their own, not the router's.
urlpatterns = [
    path(
        "plans/<int:plan_pk>/panel/",
        PlanPanelViewSet.as_view({"get": "show"}),
        name="plan-panel",
    ),
    path(
        "plans/<int:plan_pk>/panel/draw/",
        PlanPanelViewSet.as_view({"post": "draw"}),
        name="plan-panel-draw",
    ),
    path(
        "plans/<int:plan_pk>/panel/export/",
        PlanPanelViewSet.as_view({"get": "export"}),
        name="plan-panel-export",
    ),
]

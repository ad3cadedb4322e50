"""/api/v1/plans/ (1.13, 1.14, 1.23) — thin: selectors read (scoped), services write.

- ``GET /plans/`` (``?name=``, ``?committee_name=``, ``?year=``, ``?status=``,
  ``?kind=normal|special``), ``GET /plans/<id>/`` with 参评人员, 专家需求, 打分细则 and 附件;
  ``export/`` = 导出查询结果.
- The committee account: ``POST /plans/`` (新建), ``PATCH /plans/<id>/``,
  ``POST /plans/<id>/participants/`` ``{"applications": [ids]}``,
  ``POST /plans/<id>/experts/`` ``{"specialty", "level", "count", "note"}``,
  ``POST /plans/<id>/scoring/`` ``{"name", "max_score", "description"}``,
  ``POST /plans/<id>/submit/`` (呈报).
- A reviewer of the plan's kind: ``POST /plans/<id>/review/`` ``{"approved", "opinion"}``.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.catalog.models import Specialty
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import ID_MAX
from zhicheng.plans import selectors, services
from zhicheng.plans.listings import PLANS
from zhicheng.plans.models import EvaluationPlan, ExpertLevel
from zhicheng.tabular.api import TabularActionsMixin
from zhicheng.windows.models import ApplicationWindow

VIEW = "plans.view_evaluationplan"
COMPILE_ACTIONS = {"create", "partial_update", "update", "participants", "experts", "scoring"}


class PlanPermission(BasePermission):
    """Reading needs ``view``; compiling needs the committee's ``change`` (the services check
    that the plan is its own); 审核 is checked by the service against the plan's kind."""

    message = "无权执行此操作"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_perm(VIEW)):
            return False
        if view.action in COMPILE_ACTIONS or view.action == "submit":
            return user.has_perm(services.COMPILE)
        return True


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    name = serializers.CharField(source="application.person.name")
    title = serializers.CharField(source="application.title.name")
    specialty = serializers.CharField(source="application.specialty.name")


class ExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    specialty = serializers.IntegerField(source="specialty_id")
    specialty_name = serializers.CharField(source="specialty.name")
    level = serializers.CharField()
    level_display = DisplayField(source="get_level_display")
    count = serializers.IntegerField()
    note = serializers.CharField()


class ScoringSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    max_score = serializers.IntegerField()
    description = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    kind_display = serializers.CharField(read_only=True)
    status_display = DisplayField(source="get_status_display")
    reviewed_by_name = serializers.SerializerMethodField()
    window_name = serializers.CharField(source="window.name", read_only=True, allow_null=True)

    class Meta:
        model = EvaluationPlan
        fields = [
            "id",
            "committee",
            "committee_name",
            "name",
            "year",
            "is_special",
            "kind_display",
            "special_reason",
            "meeting_date",
            "note",
            "status",
            "status_display",
            "submitted_at",
            "reviewed_by_name",
            "reviewed_at",
            "review_opinion",
            "window",
            "window_name",
        ]
        read_only_fields = fields

    def get_reviewed_by_name(self, plan: EvaluationPlan) -> str:
        return str(plan.reviewed_by) if plan.reviewed_by_id else ""


class PlanDetailSerializer(PlanSerializer):
    participants = serializers.SerializerMethodField()
    experts = serializers.SerializerMethodField()
    scoring = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "participants", "experts", "scoring", "attachments"]
        read_only_fields = fields

    def get_participants(self, plan) -> list[dict]:
        return ParticipantSerializer(selectors.plan_participants(plan=plan), many=True).data

    def get_experts(self, plan) -> list[dict]:
        return ExpertSerializer(selectors.plan_experts(plan=plan), many=True).data

    def get_scoring(self, plan) -> list[dict]:
        return ScoringSerializer(selectors.plan_scoring(plan=plan), many=True).data

    def get_attachments(self, plan) -> list[dict]:
        return AttachmentSerializer(selectors.plan_attachments(plan=plan), many=True).data


class PlanWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    year = serializers.IntegerField(required=False)
    is_special = serializers.BooleanField(required=False)
    special_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    window = serializers.PrimaryKeyRelatedField(
        queryset=ApplicationWindow.objects.all(),
        required=False,
        allow_null=True,
        label="申报批次（只加入该批次的参评人员）",
    )


class PlanCreateSerializer(PlanWriteSerializer):
    name = serializers.CharField(max_length=200, label="方案名称")
    year = serializers.IntegerField(label="评审年度")


class ParticipantsInputSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        allow_empty=False,
        max_length=1000,
    )


class ExpertInputSerializer(serializers.Serializer):
    specialty = serializers.PrimaryKeyRelatedField(queryset=Specialty.objects.all())
    level = serializers.ChoiceField(choices=ExpertLevel.choices)
    count = serializers.IntegerField(min_value=1, max_value=99)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ScoringInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    max_score = serializers.IntegerField(min_value=1, max_value=services.FULL_MARKS)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReviewInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField(label="审核结果")
    opinion = serializers.CharField(
        max_length=services.OPINION_MAX, required=False, allow_blank=True, default=""
    )


class PlanViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = PLANS
    serializer_class = PlanSerializer
    permission_classes = [PlanPermission]
    queryset = EvaluationPlan.objects.none()

    def get_object(self) -> EvaluationPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, plan: EvaluationPlan, status: int = 200) -> Response:
        return Response(PlanDetailSerializer(plan).data, status=status)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(summary="新建呈报方案（评委会）", request=PlanCreateSerializer)
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(
            services.plan_create(actor=request.user, **data.validated_data), status=201
        )

    @extend_schema(summary="修改方案信息", request=PlanWriteSerializer)
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = PlanWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(
            services.plan_update(actor=request.user, plan=plan, **data.validated_data)
        )

    @extend_schema(summary="修改方案信息", request=PlanWriteSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(summary="加入参评人员", request=ParticipantsInputSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        plan = self.get_object()
        data = ParticipantsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_participants_add(
            actor=request.user, plan=plan, application_ids=data.validated_data["applications"]
        )
        return self._detail(selectors.plan_get(user=request.user, pk=plan.pk))

    @extend_schema(summary="添加专家需求", request=ExpertInputSerializer)
    @action(detail=True, methods=["post"])
    def experts(self, request, pk=None):
        plan = self.get_object()
        data = ExpertInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.expert_requirement_add(actor=request.user, plan=plan, **data.validated_data)
        return self._detail(plan)

    @extend_schema(summary="添加打分细则", request=ScoringInputSerializer)
    @action(detail=True, methods=["post"])
    def scoring(self, request, pk=None):
        plan = self.get_object()
        data = ScoringInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.scoring_item_add(actor=request.user, plan=plan, **data.validated_data)
        return self._detail(plan)

    @extend_schema(summary="呈报", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._detail(services.plan_submit(actor=request.user, plan=self.get_object()))

    @extend_schema(summary="审核（正常方案 1.13 / 特殊方案 1.14）", request=ReviewInputSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        plan = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(
            services.plan_review(actor=request.user, plan=plan, **data.validated_data)
        )


def register(router) -> None:
    router.register("plans", PlanViewSet, basename="plan")

"""/api/v1/ of 评后公示, 异议 and 1.15 备案 — thin: selectors read (scoped), services write.

- ``GET /plans/<plan_pk>/publicity/`` — the plan's publicity (null before), its passed list (who
  passed 公示, no 证件号码), who was removed and why, and the filing's state;
  ``POST`` ``{"starts_on", "note"?}`` — 发布评后公示 (the committee; ``ends_on`` is computed).
- ``POST /plans/<plan_pk>/publicity/send/`` — 报送备案 (the committee; again after 不通过).
- ``GET /objections/`` (``?plan_name=``, ``?name=``, ``?status=``), ``GET /objections/<id>/``,
  ``POST /objections/`` ``{"participant", "content", "source"}`` (登记异议),
  ``POST /objections/<id>/resolve/`` ``{"upheld", "resolution"}`` (处理), ``export/``.
- ``GET /filings/`` (``?plan_name=``, ``?committee_name=``, ``?year=``, ``?status=``),
  ``GET /filings/<id>/`` with the list of who passed 公示, ``export/``;
  ``POST /filings/<id>/review/`` ``{"approved", "opinion", "filing_number", "filed_on"}`` —
  the HR officers of the organization that approved the plan.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404
from zhicheng.filings import selectors, services
from zhicheng.filings.listings import FILINGS, OBJECTIONS
from zhicheng.filings.models import TEXT_MAX, Objection, ResultFiling
from zhicheng.tabular.api import TabularActionsMixin

VIEW_PUBLICITY = "filings.view_publicity"
VIEW_FILING = "filings.view_resultfiling"


def _has(request, perm: str) -> bool:
    return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))


class PassedSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id", help_text="参评人员 id")
    name = serializers.CharField(source="participant.application.person.name")
    employer_name = serializers.CharField(source="participant.application.employer.name")
    title_name = serializers.CharField(source="participant.application.title.name")
    specialty_name = serializers.CharField(source="participant.application.specialty.name")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class RemovedSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id")
    name = serializers.CharField(source="participant.application.person.name")
    reason = serializers.CharField(source="resolution", help_text="异议成立的处理意见")


class PublicityInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="第5个工作日（法定节假日除外，调休工作日计入）")
    note = serializers.CharField()
    phase = serializers.CharField(help_text="未开始 / 公示中 / 公示结束")
    published_at = serializers.DateTimeField()


class PublicitySerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    publicity = PublicityInfoSerializer(allow_null=True, help_text="未公示时为 null")
    passed = PassedSerializer(many=True, help_text="公示通过参评人员名单")
    removed = RemovedSerializer(many=True, help_text="异议成立、移出名单的人员")
    filing = serializers.IntegerField(allow_null=True, help_text="结果备案 id；未报送时为 null")
    filing_status = serializers.CharField(help_text="未报送 / pending / approved / rejected")


def publicity_payload(plan) -> dict:
    publicity = selectors.publicity_of(plan=plan)
    filing = selectors.filing_of(plan=plan)
    info = None
    if publicity is not None:
        info = {
            "id": publicity.pk,
            "starts_on": publicity.starts_on,
            "ends_on": publicity.ends_on,
            "note": publicity.note,
            "phase": publicity.phase(),
            "published_at": publicity.published_at,
        }
    return PublicitySerializer(
        {
            "plan": plan.pk,
            "publicity": info,
            "passed": list(selectors.publicity_passed(plan=plan)),
            "removed": list(selectors.publicity_removed(plan=plan)),
            "filing": filing.pk if filing else None,
            "filing_status": filing.status if filing else "",
        }
    ).data


class PublishInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField(label="公示开始日期")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PublicityPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method == "GET":
            return _has(request, VIEW_PUBLICITY)
        return _has(request, services.PUBLISH)


@extend_schema(
    parameters=[OpenApiParameter("plan_pk", int, OpenApiParameter.PATH, description="呈报方案 id")]
)
class PlanPublicityViewSet(viewsets.GenericViewSet):
    """评后公示 of one plan (its committee publishes and sends for filing; HR officers read)."""

    permission_classes = [PublicityPermission]
    serializer_class = PublicitySerializer
    queryset = Objection.objects.none()
    pagination_class = None

    def _plan(self):
        return selectors.publicity_plan_get(
            user=self.request.user, pk=id_or_404(self.kwargs["plan_pk"])
        )

    @extend_schema(
        summary="评后公示（通过名单、移出人员、备案状态）", responses=PublicitySerializer
    )
    def show(self, request, plan_pk=None):
        return Response(publicity_payload(self._plan()))

    @extend_schema(
        summary="发布评后公示（结束日期按工作日自动计算）",
        request=PublishInputSerializer,
        responses={201: PublicitySerializer},
    )
    def publish(self, request, plan_pk=None):
        plan = self._plan()
        data = PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.publicity_publish(actor=request.user, plan=plan, **data.validated_data)
        return Response(publicity_payload(plan), status=201)

    @extend_schema(summary="报送备案", request=None, responses=PublicitySerializer)
    def send(self, request, plan_pk=None):
        plan = self._plan()
        services.filing_send(actor=request.user, plan=plan)
        return Response(publicity_payload(plan))


# --- objections -------------------------------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="publicity.plan_id", read_only=True)
    plan_name = serializers.CharField(source="publicity.plan.name", read_only=True)
    name = serializers.CharField(source="participant.application.person.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = Objection
        fields = [
            "id",
            "plan",
            "plan_name",
            "participant",
            "name",
            "content",
            "source",
            "recorded_at",
            "status",
            "status_display",
            "resolution",
            "resolved_at",
        ]
        read_only_fields = fields


class ObjectionInputSerializer(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="参评人员 id")
    content = serializers.CharField(max_length=TEXT_MAX, label="异议内容")
    source = serializers.CharField(max_length=services.SOURCE_MAX, label="异议来源")


class ResolveInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(label="异议是否成立")
    resolution = serializers.CharField(max_length=TEXT_MAX, label="处理意见")


class ObjectionPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        if view.action in ("create", "resolve"):
            return _has(request, services.PUBLISH)
        return _has(request, VIEW_PUBLICITY)


class ObjectionViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = OBJECTIONS
    serializer_class = ObjectionSerializer
    permission_classes = [ObjectionPermission]
    queryset = Objection.objects.none()

    def get_object(self) -> Objection:
        return selectors.objection_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="登记异议", request=ObjectionInputSerializer, responses={201: ObjectionSerializer}
    )
    def create(self, request):
        data = ObjectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_record(actor=request.user, **data.validated_data)
        return Response(
            ObjectionSerializer(selectors.objection_get(user=request.user, pk=objection.pk)).data,
            status=201,
        )

    @extend_schema(summary="处理异议（成立 / 不成立）", request=ResolveInputSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        objection = self.get_object()
        data = ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.objection_resolve(actor=request.user, objection=objection, **data.validated_data)
        return Response(ObjectionSerializer(self.get_object()).data)


# --- 1.15 filings -----------------------------------------------------------------------------


class FilingSerializer(serializers.ModelSerializer):
    plan_name = serializers.CharField(source="plan.name", read_only=True)
    committee_name = serializers.CharField(source="plan.committee.name", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    filing_organization_name = serializers.CharField(
        source="filing_organization.name", read_only=True
    )
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = ResultFiling
        fields = [
            "id",
            "plan",
            "plan_name",
            "committee_name",
            "year",
            "filing_organization",
            "filing_organization_name",
            "status",
            "status_display",
            "sent_at",
            "send_count",
            "reviewed_at",
            "opinion",
            "filing_number",
            "filed_on",
            "granted_count",
        ]
        read_only_fields = fields


class FilingDetailSerializer(FilingSerializer):
    passed = serializers.SerializerMethodField(help_text="公示通过参评人员名单")

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "passed"]
        read_only_fields = fields

    def get_passed(self, filing) -> list[dict]:
        return PassedSerializer(selectors.publicity_passed(plan=filing.plan), many=True).data


class FilingReviewInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField(label="审核结果")
    opinion = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", label="审核意见"
    )
    filing_number = serializers.CharField(
        max_length=services.FILING_NUMBER_MAX,
        required=False,
        allow_blank=True,
        default="",
        label="备案文号",
    )
    filed_on = serializers.DateField(
        required=False, allow_null=True, default=None, label="备案时间"
    )


class FilingPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        if view.action == "review":
            return _has(request, services.REVIEW)
        return _has(request, VIEW_FILING)


class FilingViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = FILINGS
    serializer_class = FilingSerializer
    permission_classes = [FilingPermission]
    queryset = ResultFiling.objects.none()

    def get_object(self) -> ResultFiling:
        return selectors.filing_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=FilingDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(FilingDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="审核（1.15：审核结果、审核意见、备案文号、备案时间）",
        request=FilingReviewInputSerializer,
        responses=FilingDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        filing = self.get_object()
        data = FilingReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.filing_review(actor=request.user, filing=filing, **data.validated_data)
        return Response(FilingDetailSerializer(self.get_object()).data)


def register(router) -> None:
    router.register("objections", ObjectionViewSet, basename="objections")
    router.register("filings", FilingViewSet, basename="filings")


# Under a plan, by id only: URLs of their own, not the router's.
urlpatterns = [
    path(
        "plans/<int:plan_pk>/publicity/",
        PlanPublicityViewSet.as_view({"get": "show", "post": "publish"}),
        name="plan-publicity",
    ),
    path(
        "plans/<int:plan_pk>/publicity/send/",
        PlanPublicityViewSet.as_view({"post": "send"}),
        name="plan-publicity-send",
    ),
]

"""/api/v1/ of 评审会议 (issue 12) — thin: selectors read (scoped), services write.

- ``GET /plans/<plan_pk>/meeting/`` — the meeting of an approved plan (status, fractions, panel
  size, attendance; ``pending`` before it is opened); ``POST …/open/``;
  ``POST …/attendance/`` ``{"present": [expert ids]}``; ``GET …/close-check/`` (quorum, votes
  cast, the pass-rate cap preview and the 职数 flags — no participant's tally);
  ``POST …/close/``; ``GET …/results/`` (each participant's score, tally and result — an empty
  list until the meeting is closed). The plan's committee account only.
- ``GET /meeting-results/`` (``?plan=``, ``?plan_name=``, ``?name=``, ``?passed=true|false``) —
  评审会议结果 of the committee's closed meetings (scores and tallies, never a vote);
  ``GET /meeting-results/export/`` the same as .xlsx.
- ``GET /reviews/`` — the expert's own: the participants of the plans whose panel they are on,
  with their own scores and vote; ``GET /reviews/<participant id>/``;
  ``POST /reviews/<id>/scores/`` ``{"scores": [{"item", "value"}]}``;
  ``POST /reviews/<id>/vote/`` ``{"choice": agree|disagree|abstain}``.
- ``GET /pass-rate-caps/`` (the configured caps; defaults 正高级 40 %, 副高级 55 %);
  ``POST /pass-rate-caps/`` ``{"year", "level", "max_percent"}`` sets one (HR officers);
  ``GET /pass-rate-caps/export/`` the list as .xlsx.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.openapi import results_of
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import get_or_404, id_or_404
from zhicheng.meetings import selectors, services
from zhicheng.meetings.listings import MEETING_RESULTS, PASS_RATE_CAPS
from zhicheng.meetings.models import (
    CapLevel,
    Meeting,
    MeetingResult,
    MeetingStatus,
    PassRateCap,
    VoteChoice,
)
from zhicheng.plans import selectors as plan_selectors
from zhicheng.plans.models import PlanParticipant
from zhicheng.tabular.api import TabularActionsMixin

# --- the committee's meeting ----------------------------------------------------------------


class AttendanceSerializer(serializers.Serializer):
    expert = serializers.IntegerField(source="expert_id")
    name = serializers.CharField(source="expert.person.name")
    role = serializers.CharField(source="member.role", help_text="member 评审专家 / alternate 备选")
    order = serializers.IntegerField(source="member.order", help_text="抽取顺序")
    present = serializers.BooleanField(help_text="到会")
    seated = serializers.BooleanField(
        help_text="参加评审（到会的评审专家，或替补缺席者的备选专家）"
    )
    stands_in_for = serializers.IntegerField(
        source="stands_in_for_id", allow_null=True, help_text="替补的评审专家 id"
    )


class MeetingSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    status_display = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    quorum = serializers.CharField(help_text="法定到会比例，如 2/3")
    pass_fraction = serializers.CharField(help_text="通过所需同意票比例，如 2/3")
    panel = serializers.IntegerField(help_text="评审专家人数")
    seated = serializers.IntegerField(help_text="到会参加评审的专家人数")
    attendance = AttendanceSerializer(many=True)


def meeting_payload(plan) -> dict:
    meeting = selectors.plan_meeting(plan) or Meeting(plan=plan)
    attendance = list(selectors.attendance_list(meeting=meeting if meeting.pk else None))
    draw = selectors.panel_draw_of(plan)
    return MeetingSerializer(
        {
            "plan": plan.pk,
            "status": meeting.status,
            "status_display": meeting.get_status_display(),
            "opened_at": meeting.opened_at,
            "closed_at": meeting.closed_at,
            "quorum": plan.committee.quorum_display,
            "pass_fraction": plan.committee.pass_fraction_display,
            "panel": draw.members.filter(role="member").count() if draw else 0,
            "seated": sum(a.seated for a in attendance),
            "attendance": attendance,
        }
    ).data


class AttendanceInputSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        allow_empty=True,
        max_length=500,
        help_text="到会专家（评审专家或备选专家）的 id",
    )


class LevelCapSerializer(serializers.Serializer):
    level = serializers.CharField()
    level_display = serializers.CharField()
    participants = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True, help_text="通过率上限（%），无上限为 null")
    limit = serializers.IntegerField(allow_null=True, help_text="最多通过人数")
    passing = serializers.IntegerField(help_text="同意票已达通过比例的人数")
    cut = serializers.IntegerField(help_text="将因通过率上限按得分排名未通过的人数")


class QuotaFlagSerializer(serializers.Serializer):
    employer = serializers.IntegerField(source="employer_id")
    employer_name = serializers.CharField()
    declared = serializers.IntegerField(help_text="该单位该年度申报职数")
    passing = serializers.IntegerField(help_text="将通过人数")


class CloseCheckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    can_close = serializers.BooleanField()
    panel = serializers.IntegerField()
    seated = serializers.IntegerField()
    quorum_problem = serializers.CharField(help_text="不足法定人数的说明；足够时为空")
    participants = serializers.IntegerField()
    votes_cast = serializers.IntegerField()
    votes_expected = serializers.IntegerField()
    caps = LevelCapSerializer(many=True)
    quota_flags = QuotaFlagSerializer(many=True, help_text="通过人数超出单位申报职数的提示")


class MeetingResultSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id")
    name = serializers.CharField(source="participant.application.person.name")
    employer_name = serializers.CharField(
        source="participant.application.employer.name", allow_null=True, default=None
    )
    specialty_name = serializers.CharField(source="participant.application.specialty.name")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    present = serializers.IntegerField()
    agree = serializers.IntegerField()
    disagree = serializers.IntegerField()
    abstain = serializers.IntegerField()
    passed = serializers.BooleanField()
    cut_reason = serializers.CharField()


RESULTS_SCHEMA = results_of(MeetingResultSerializer)


class MeetingPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        perm = "meetings.view_meeting" if request.method == "GET" else "meetings.run_meeting"
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))


@extend_schema(
    parameters=[OpenApiParameter("plan_pk", int, OpenApiParameter.PATH, description="呈报方案 id")]
)
class PlanMeetingViewSet(viewsets.GenericViewSet):
    """评审会议 of one plan, run by its committee."""

    permission_classes = [MeetingPermissions]
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    pagination_class = None

    def _plan(self):
        return plan_selectors.plan_get(user=self.request.user, pk=id_or_404(self.kwargs["plan_pk"]))

    @extend_schema(summary="评审会议", responses=MeetingSerializer)
    def show(self, request, plan_pk=None):
        return Response(meeting_payload(self._plan()))

    @extend_schema(summary="开始评审会议", request=None, responses=MeetingSerializer)
    def open(self, request, plan_pk=None):
        plan = self._plan()
        services.meeting_open(actor=request.user, plan=plan)
        return Response(meeting_payload(plan))

    @extend_schema(
        summary="登记到会（缺席的评审专家由同一需求的备选专家按抽取顺序替补）",
        request=AttendanceInputSerializer,
        responses=MeetingSerializer,
    )
    def attendance(self, request, plan_pk=None):
        plan = self._plan()
        serializer = AttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attendance_record(
            actor=request.user, plan=plan, present=serializer.validated_data["present"]
        )
        return Response(meeting_payload(plan))

    @extend_schema(
        summary="结束前检查（法定人数、通过率上限预览、职数提示）", responses=CloseCheckSerializer
    )
    def close_check(self, request, plan_pk=None):
        plan = self._plan()
        meeting = selectors.plan_meeting(plan) or Meeting(plan=plan)
        check = selectors.close_check(meeting)
        data = CloseCheckSerializer(check).data
        data["can_close"] = check.can_close
        return Response(data)

    @extend_schema(
        summary="结束评审会议（计票、通过率上限）",
        request=None,
        responses=RESULTS_SCHEMA,
    )
    def close(self, request, plan_pk=None):
        plan = self._plan()
        services.meeting_close(actor=request.user, plan=plan)
        results = selectors.meeting_results(meeting=selectors.plan_meeting(plan))
        return Response({"results": MeetingResultSerializer(results, many=True).data})

    @extend_schema(summary="评审结果（会议结束后）", responses=RESULTS_SCHEMA)
    def results(self, request, plan_pk=None):
        plan = self._plan()
        results = selectors.meeting_results(meeting=selectors.plan_meeting(plan))
        return Response({"results": MeetingResultSerializer(results, many=True).data})


# --- 评审会议结果: the list of every closed meeting's results in scope ------------------------


class MeetingResultRowSerializer(MeetingResultSerializer):
    plan = serializers.IntegerField(source="meeting.plan_id", help_text="呈报方案 id")
    plan_name = serializers.CharField(source="meeting.plan.name")


class MeetingResultPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("meetings.view_meeting"))


class MeetingResultViewSet(
    ListingViewSetMixin, TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """评审会议结果: per participant of each closed meeting of the committee's plans, the average
    score, the tally and the result (``?plan=`` one plan); never a single vote. ``export/``:
    the same rows as .xlsx."""

    listing = MEETING_RESULTS
    serializer_class = MeetingResultRowSerializer
    permission_classes = [MeetingResultPermissions]
    queryset = MeetingResult.objects.none()


# --- the expert's reviews -------------------------------------------------------------------


class ScoreItemSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="打分细则 id")
    value = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)


class ReviewItemSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    name = serializers.CharField()
    max_score = serializers.IntegerField()
    description = serializers.CharField()
    value = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="参评人员 id")
    plan = serializers.IntegerField()
    plan_name = serializers.CharField()
    application = serializers.IntegerField()
    name = serializers.CharField()
    employer_name = serializers.CharField(allow_null=True)
    title_name = serializers.CharField()
    specialty_name = serializers.CharField()
    meeting_status = serializers.ChoiceField(choices=MeetingStatus.choices)
    recusal = serializers.CharField(help_text="回避原因；无须回避时为空")
    scores = ReviewItemSerializer(many=True)
    vote = serializers.ChoiceField(
        choices=VoteChoice.choices, allow_null=True, help_text="本人的表决意见"
    )


def review_payload(user, participant) -> dict:
    plan = participant.plan
    expert = selectors.expert_entry(user=user, plan=plan)
    meeting = selectors.plan_meeting(plan)
    scores = selectors.expert_scores(expert=expert, participant=participant) if expert else {}
    votes = selectors.expert_votes(expert=expert, plan=plan) if expert else {}
    application = participant.application
    return {
        "id": participant.pk,
        "plan": plan.pk,
        "plan_name": plan.name,
        "application": application.pk,
        "name": application.person.name,
        "employer_name": application.employer.name if application.employer_id else None,
        "title_name": application.title.name,
        "specialty_name": application.specialty.name,
        "meeting_status": meeting.status if meeting else MeetingStatus.PENDING,
        "recusal": selectors.recusal_reason(expert, participant) if expert else "",
        "scores": [
            {
                "item": item.pk,
                "name": item.name,
                "max_score": item.max_score,
                "description": item.description,
                "value": scores.get(item.pk),
            }
            for item in plan.scoring.order_by("pk")
        ],
        "vote": votes.get(participant.pk),
    }


class ScoresInputSerializer(serializers.Serializer):
    scores = ScoreItemSerializer(many=True, allow_empty=False, max_length=100)


class VoteInputSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices, help_text="同意 / 不同意 / 弃权")


class ReviewPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        perm = "meetings.add_score" if view.action != "vote" else "meetings.add_vote"
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))


class ReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的评审: the participants an expert reviews, with only the expert's own scores and vote."""

    permission_classes = [ReviewPermissions]
    serializer_class = ReviewSerializer
    queryset = PlanParticipant.objects.none()

    def get_queryset(self):
        return (
            selectors.expert_participants(user=self.request.user)
            .select_related(
                "plan__committee",
                "application__person",
                "application__employer",
                "application__title",
                "application__specialty",
            )
            .order_by("-plan__year", "plan_id", "application__person__name", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([review_payload(request.user, p) for p in page])

    @extend_schema(summary="评审一名参评人员（本人的打分和表决）")
    def retrieve(self, request, pk=None):
        participant = get_or_404(self.get_queryset(), id_or_404(pk))
        return Response(review_payload(request.user, participant))

    @extend_schema(summary="打分", request=ScoresInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        participant = get_or_404(self.get_queryset(), id_or_404(pk))
        serializer = ScoresInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.score_record(
            actor=request.user,
            participant=participant,
            scores={row["item"]: row["value"] for row in serializer.validated_data["scores"]},
        )
        return Response(review_payload(request.user, participant))

    @extend_schema(summary="表决", request=VoteInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        participant = get_or_404(self.get_queryset(), id_or_404(pk))
        serializer = VoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.vote_cast(
            actor=request.user,
            participant=participant,
            choice=serializer.validated_data["choice"],
        )
        return Response(review_payload(request.user, participant))


# --- pass-rate caps -------------------------------------------------------------------------


class PassRateCapSerializer(serializers.ModelSerializer):
    level_display = DisplayField(source="get_level_display")
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)

    class Meta:
        model = PassRateCap
        fields = ["id", "year", "level", "level_display", "max_percent", "updated_by", "updated_at"]
        read_only_fields = fields


class PassRateCapInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.ChoiceField(choices=CapLevel.choices)
    max_percent = serializers.IntegerField(min_value=1, max_value=100)


class CapPermissions(BasePermission):
    def has_permission(self, request, view) -> bool:
        perm = (
            "meetings.view_passratecap"
            if request.method == "GET"
            else "meetings.change_passratecap"
        )
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))


class PassRateCapViewSet(TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """通过率上限 per year and level (defaults when not set: 正高级 40 %, 副高级 55 %).
    ``export/``: the same rows as .xlsx."""

    export_key = PASS_RATE_CAPS.name
    listing = PASS_RATE_CAPS
    permission_classes = [CapPermissions]
    serializer_class = PassRateCapSerializer
    queryset = PassRateCap.objects.none()

    def get_queryset(self):
        return selectors.pass_rate_caps(user=self.request.user)

    @extend_schema(
        summary="设置通过率上限（同一年度、级别再次设置即修改）",
        request=PassRateCapInputSerializer,
        # A set, not a create: the same year and level again changes the row, so always 200.
        responses={200: PassRateCapSerializer},
    )
    def create(self, request):
        serializer = PassRateCapInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cap = services.pass_rate_cap_set(actor=request.user, **serializer.validated_data)
        return Response(PassRateCapSerializer(cap).data)


def register(router) -> None:
    router.register("meeting-results", MeetingResultViewSet, basename="meeting-results")
    router.register("reviews", ReviewViewSet, basename="reviews")
    router.register("pass-rate-caps", PassRateCapViewSet, basename="pass-rate-caps")


def _meeting(name: str, methods: dict) -> path:
    suffix = f"{name}/" if name else ""
    url_name = f"plan-meeting-{name}" if name else "plan-meeting"
    return path(
        f"plans/<int:plan_pk>/meeting/{suffix}", PlanMeetingViewSet.as_view(methods), name=url_name
    )


urlpatterns = [
    _meeting("", {"get": "show"}),
    _meeting("open", {"post": "open"}),
    _meeting("attendance", {"post": "attendance"}),
    _meeting("close-check", {"get": "close_check"}),
    _meeting("close", {"post": "close"}),
    _meeting("results", {"get": "results"}),
]

"""批量发放证书 jobs (1.17) over the API: ``POST /api/v1/certificate-issue-jobs/``
``{"holdings": [ids]}`` or ``{"everything": true}`` with ``"issuing_unit"`` creates a job (201;
the same choice posted again while fresh returns the same job) that a worker runs; ``GET`` lists
the jobs of the caller's scope and ``GET <id>/`` one with its progress and failures."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from zhicheng.certificates import pdf, selectors
from zhicheng.certificates.models import IssueJob
from zhicheng.certificates.services import issue_jobs, issuing
from zhicheng.common.fields import DisplayField
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404

VIEW = "certificates.view_certificate"


class IssueJobFailureSerializer(serializers.Serializer):
    holding = serializers.IntegerField(label="取得职称")
    reason = serializers.CharField(label="未发放原因")


class IssueJobSerializer(serializers.ModelSerializer):
    status_display = DisplayField(source="get_status_display", label="状态名称")
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", label="发证单位名称"
    )
    created_by = serializers.CharField(source="created_by.username", label="发证人")
    percent = serializers.IntegerField(label="进度（%）")
    failures = IssueJobFailureSerializer(many=True, label="未发放原因")

    class Meta:
        model = IssueJob
        fields = [
            "id",
            "created_by",
            "issuing_unit",
            "issuing_unit_name",
            "scope",
            "status",
            "status_display",
            "total",
            "position",
            "done",
            "failed",
            "percent",
            "failures",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class IssueJobCreateSerializer(serializers.Serializer):
    holdings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        max_length=100_000,
        label="取得职称",
    )
    everything = serializers.BooleanField(
        required=False, default=False, label="全部发放（管辖范围内尚未发放的全部人员）"
    )
    issuing_unit = serializers.IntegerField(min_value=1, max_value=ID_MAX, label="发证单位")


class IssueJobPermission(BasePermission):
    """Reading: officers who see certificates; creating: who may issue them."""

    def has_permission(self, request, view):
        perm = issuing.ISSUE if request.method == "POST" else VIEW
        return bool(request.user and request.user.has_perm(perm))


class IssueJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """批量发放证书任务 of the caller's scope, newest first; ``POST`` creates one."""

    serializer_class = IssueJobSerializer
    permission_classes = [IsAuthenticated, IssueJobPermission]
    queryset = IssueJob.objects.none()

    def get_queryset(self):
        return selectors.issue_jobs_scoped(user=self.request.user)

    def get_object(self):
        return selectors.issue_job_get(user=self.request.user, pk=id_or_404(self.kwargs["pk"]))

    @extend_schema(
        summary="批量发放证书（后台任务）",
        request=IssueJobCreateSerializer,
        responses={201: IssueJobSerializer},
    )
    def create(self, request):
        data = IssueJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = issue_jobs.issue_job_create(
            actor=request.user,
            holding_ids=data.validated_data.get("holdings") or [],
            everything=data.validated_data["everything"],
            issuing_unit=data.validated_data["issuing_unit"],
            public_url=pdf.public_url(request),
        )
        job = selectors.issue_job_get(user=request.user, pk=job.pk)
        return Response(IssueJobSerializer(job).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("certificate-issue-jobs", IssueJobViewSet, basename="certificate-issue-job")

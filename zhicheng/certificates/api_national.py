"""/api/v1/national-reports/ (1.18 证书报送人社部) — thin: the listing reads (scoped), the
``national`` service writes. The items are the certificates of the caller's scope with their
report state; ``{id}`` is the certificate's id."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.certificates import selectors
from zhicheng.certificates.listings import NATIONAL_REPORTS
from zhicheng.certificates.models import Certificate, NationalReportKind
from zhicheng.certificates.services import national
from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import listing_schema
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404
from zhicheng.tabular.api import TabularActionsMixin


class NationalReportItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="number.number", read_only=True, label="证书编号")
    name = serializers.CharField(source="holding.person.name", read_only=True, label="姓名")
    title = serializers.CharField(source="holding.title.name", read_only=True, label="职称")
    issuing_unit_name = serializers.CharField(
        source="issuing_unit.organization.name", read_only=True, label="发证单位"
    )
    # Text, not a second enum component of the certificate's statuses.
    status = serializers.CharField(read_only=True, help_text="证书状态：valid 有效，revoked 已撤销")
    status_display = DisplayField(source="get_status_display")
    report_kind = serializers.ChoiceField(
        choices=NationalReportKind.choices,
        read_only=True,
        allow_null=True,
        help_text="最近一条报送记录的类型（失败的优先）；未上报为 null",
    )
    report_status = serializers.ChoiceField(
        choices=selectors.REPORT_STATUS_CHOICES[1:],
        read_only=True,
        allow_null=True,
        help_text="上报状态：pending 待上报，sending 上报中，delivered 已上报，failed 失败；"
        "未上报为 null",
    )
    report_attempts = serializers.IntegerField(read_only=True, allow_null=True, label="上报次数")
    report_error = serializers.CharField(read_only=True, allow_null=True, label="最后错误")
    report_next_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label="下次上报时间"
    )
    report_delivered_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label="上报成功时间"
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "name",
            "title",
            "issuing_unit",
            "issuing_unit_name",
            "status",
            "status_display",
            "issued_at",
            "report_kind",
            "report_status",
            "report_attempts",
            "report_error",
            "report_next_at",
            "report_delivered_at",
        ]
        read_only_fields = fields


class NationalReportRequestSerializer(serializers.Serializer):
    certificates = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        max_length=national.REPORT_IDS_MAX,
        label="证书",
        help_text="勾选的证书 id（批量上报）",
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text="true：全部上报（管辖范围内所有未上报的证书）"
    )

    def validate(self, attrs):
        if attrs.get("all") == bool(attrs.get("certificates")):
            raise serializers.ValidationError(
                "请给出 certificates（证书 id 列表）或 all=true，二者选一"
            )
        return attrs


REPORT_RESULT = inline_serializer(
    "NationalReportResult",
    {
        "reported": serializers.IntegerField(help_text="本次提交上报的证书数"),
        "skipped": inline_serializer(
            "NationalReportSkipped",
            {"certificate": serializers.IntegerField(), "reason": serializers.CharField()},
            many=True,
        ),
        "message": serializers.CharField(),
    },
)
RETRY_RESULT = inline_serializer(
    "NationalReportRetryResult",
    {
        "retried": serializers.IntegerField(help_text="重新排队的报送记录数"),
        "certificate": NationalReportItemSerializer(),
    },
)


class NationalReportPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.report_%(model_name)s"],
    }


@listing_schema(NATIONAL_REPORTS)
class NationalReportViewSet(TabularActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """证书报送人社部 (1.18): ``GET`` lists the certificates of the caller's scope with their report
    state and the page's filters (``?name=``, ``?number=`` prefix, ``?issuing_unit_name=``,
    ``?issued_from=``, ``?issued_to=``, ``?report_status=none|pending|sending|delivered|failed``);
    ``POST report/`` ``{"certificates": [ids]}`` (批量上报) or ``{"all": true}`` (全部上报) writes
    the outbox rows — a certificate already reported is skipped, never sent twice;
    ``POST <id>/retry/`` (重新上报) puts the certificate's failed rows back in the queue;
    ``export/`` = 导出查询结果."""

    export_key = NATIONAL_REPORTS.name
    listing = NATIONAL_REPORTS
    serializer_class = NationalReportItemSerializer
    permission_classes = [NationalReportPermissions]
    queryset = Certificate.objects.none()

    def get_queryset(self):
        return NATIONAL_REPORTS.from_params(
            self.request.user, self.request.query_params, strict=True
        )

    @extend_schema(
        summary="上报（批量上报或全部上报）",
        request=NationalReportRequestSerializer,
        responses={200: REPORT_RESULT},
    )
    @action(detail=False, methods=["post"])
    def report(self, request):
        data = NationalReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = national.certificates_report(
            actor=request.user,
            certificate_ids=data.validated_data.get("certificates") or [],
            everything=data.validated_data["all"],
        )
        return Response(
            {
                "reported": outcome.reported,
                "skipped": [{"certificate": pk, "reason": why} for pk, why in outcome.skipped],
                "message": outcome.message,
            }
        )

    @extend_schema(
        summary="重新上报（上报失败的证书）",
        request=None,
        responses={
            200: RETRY_RESULT,
            400: OpenApiResponse(description="该证书没有上报失败的记录"),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        certificate = selectors.certificate_get(user=request.user, pk=id_or_404(pk))  # else 404
        retried = national.national_report_retry(actor=request.user, certificate=certificate)
        item = NATIONAL_REPORTS.queryset(request.user, {}).get(pk=certificate.pk)
        return Response(
            {"retried": retried, "certificate": NationalReportItemSerializer(item).data}
        )


def register(router) -> None:
    router.register("national-reports", NationalReportViewSet, basename="national-report")

"""/api/v1/certificate-verification/ — public 证书核验 for machines: the same answer as the
/verify/ page, anonymous and rate-limited per client address (scope ``verify``, one count
with the page)."""

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from zhicheng.certificates import selectors, verification
from zhicheng.certificates.forms import VerifyForm
from zhicheng.common.ratelimit import ClientWindowThrottle


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField(label="证书编号")
    name = serializers.CharField(label="姓名")
    id_number = serializers.CharField(label="证件号码（脱敏）")
    state = serializers.ChoiceField(
        choices=list(verification.STATE_DISPLAY.items()),
        label="核验结果：valid 有效 / revoked 已撤销 / superseded 已补发 / mismatch 核验码不符",
    )
    state_display = serializers.CharField(label="核验结果")
    copy = serializers.IntegerField(label="现行份次（1为原证，大于1为补发）")
    title = serializers.CharField(label="职称")
    level = serializers.CharField(label="级别")
    issuing_unit = serializers.CharField(label="发证单位")
    issued_on = serializers.DateField(label="发证日期")


class CertificateVerificationView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientWindowThrottle]  # one count with the /verify/ page
    throttle_scope = "verify"
    # JSON only, for machines: no content negotiation with the browsable API's renderer on
    # every QR-scan-sized request (a browser opening the address gets the JSON too).
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="证书核验（公开）",
        description=(
            "按证书编号 + 姓名（及选填的核验码）核验证书；不返回完整证件号码。"
            "按客户端地址限流，超限答 429；编号与姓名不符答 404。"
        ),
        parameters=[
            OpenApiParameter("number", OpenApiTypes.STR, required=True, description="证书编号"),
            OpenApiParameter("name", OpenApiTypes.STR, required=True, description="姓名"),
            OpenApiParameter("code", OpenApiTypes.STR, required=False, description="核验码"),
        ],
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(description="未找到与该证书编号和姓名相符的证书"),
        },
    )
    def get(self, request):
        # The page's form: one rule for what a query may be, and its Chinese messages.
        form = VerifyForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        found = selectors.certificate_verify(number=data["number"], name=data["name"])
        if found is None:
            raise NotFound("未找到与该证书编号和姓名相符的证书")
        state = verification.state_of(found.status, found.number, found.copy, data.get("code", ""))
        return Response(
            {
                "number": found.number,
                "name": found.name,
                "id_number": found.masked_id_number,
                "state": state,
                "state_display": verification.STATE_DISPLAY[state],
                "copy": found.copy,
                "title": found.title,
                "level": found.level_display,
                "issuing_unit": found.issuing_unit,
                "issued_on": found.issued_on,
            }
        )


urlpatterns = [
    path(
        "certificate-verification/",
        CertificateVerificationView.as_view(),
        name="api-certificate-verification",
    )
]

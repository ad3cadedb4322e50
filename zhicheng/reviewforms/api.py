"""/api/v1/review-forms/<application id>/ (评审表) — thin: selectors read (scoped through the
application), services write.

``GET /review-forms/?application=`` the uploaded scans in scope (newest first);
``GET /review-forms/<id>/`` the generated 评审表 (PDF, inline); ``GET /review-forms/<id>/scan/``
the signed and sealed scan (404 until uploaded); ``POST /review-forms/<id>/scan/`` (multipart
``file``, the employer's 单位经办) uploads or replaces it. Out of scope is 404, like a missing
id."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.common.files import attachment_response
from zhicheng.common.openapi import FILE_RESPONSES
from zhicheng.common.query import ID_MAX
from zhicheng.common.scoping import id_or_404

from . import selectors, services
from .models import ReviewFormScan
from .views import review_form_response

VIEW = "applications.view_application"
APPLY = "applications.apply_application"


class ReviewFormPermissions(BasePermission):
    """Whoever may read applications (officers, committees, applicants); the scope of the
    application decides the rest."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(APPLY))
        )


class ReviewFormScanSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = ReviewFormScan
        fields = [
            "application",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class ReviewFormQuerySerializer(serializers.Serializer):
    application = serializers.IntegerField(
        label="申报编号", required=False, min_value=1, max_value=ID_MAX
    )


class ReviewFormScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="评审表扫描件", allow_empty_file=True)


class ReviewFormViewSet(viewsets.GenericViewSet):
    permission_classes = [ReviewFormPermissions]
    queryset = ReviewFormScan.objects.none()
    serializer_class = ReviewFormScanSerializer

    def _application(self, pk):
        return selectors.review_form_get(user=self.request.user, pk=id_or_404(pk))

    @extend_schema(
        summary="已上传的评审表扫描件（本人管辖范围内）",
        parameters=[ReviewFormQuerySerializer],
        responses=ReviewFormScanSerializer(many=True),
    )
    def list(self, request):
        query = ReviewFormQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scans = selectors.review_form_scan_list(
            user=request.user, application_id=query.validated_data.get("application")
        )
        page = self.paginate_queryset(scans)
        return self.get_paginated_response(ReviewFormScanSerializer(page, many=True).data)

    @extend_schema(
        summary="下载评审表（系统生成的 PDF）",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def retrieve(self, request, pk=None):
        app = self._application(pk)
        return review_form_response(user=request.user, application=app)

    @extend_schema(methods=["GET"], summary="评审表扫描件（内嵌预览）", responses=FILE_RESPONSES)
    @extend_schema(
        methods=["POST"],
        summary="上传评审表扫描件（用人单位经办；再次上传替换原件）",
        request={"multipart/form-data": ReviewFormScanUploadSerializer},
        responses={201: ReviewFormScanSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def scan(self, request, pk=None):
        app = self._application(pk)
        if request.method == "POST":
            data = ReviewFormScanUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            scan = services.review_form_scan_upload(
                actor=request.user, application=app, upload=data.validated_data["file"]
            )
            return Response(ReviewFormScanSerializer(scan).data, status=status.HTTP_201_CREATED)
        scan = selectors.review_form_scan(application=app)
        if scan is None:
            raise Http404("尚未上传评审表扫描件")
        return attachment_response(scan)


def register(router) -> None:
    router.register("review-forms", ReviewFormViewSet, basename="review-form")

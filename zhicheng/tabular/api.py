"""API of the engine.

- ``TabularActionsMixin`` for a resource's viewset (set ``import_key`` / ``export_key``):
  ``POST /api/v1/<resource>/import/`` (multipart ``file`` + page params) → 201
  ``{"id", "total", "valid", "invalid", "errors": [{"row", "message"}]}`` and
  ``GET /api/v1/<resource>/export/?<list filters>`` → .xlsx.
- ``POST /api/v1/imports/<id>/commit/`` → ``{"id", "status", "created", "already_committed", …}``;
  ``GET /api/v1/imports/<id>/`` → the preview again.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zhicheng.common.errors import ApplicationError
from zhicheng.common.uploads import upload_limit
from zhicheng.tabular import reader, selectors, services
from zhicheng.tabular.models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PREVIEW_SCHEMA = inline_serializer(
    "ImportPreview",
    {
        "id": serializers.IntegerField(),
        "key": serializers.CharField(),
        "status": serializers.CharField(),
        "total": serializers.IntegerField(),
        "valid": serializers.IntegerField(),
        "invalid": serializers.IntegerField(),
        "errors": inline_serializer(
            "ImportRowError",
            {"row": serializers.IntegerField(), "message": serializers.CharField()},
            many=True,
        ),
    },
)
COMMIT_SCHEMA = inline_serializer(
    "ImportCommit",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "created": serializers.IntegerField(),
        "already_committed": serializers.BooleanField(),
        "total": serializers.IntegerField(),
        "valid": serializers.IntegerField(),
        "invalid": serializers.IntegerField(),
    },
)
UPLOAD_SCHEMA = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}},
        "required": ["file"],
    }
}


def preview_payload(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "key": batch.key,
        "status": batch.status,
        "total": batch.total,
        "valid": batch.valid_count,
        "invalid": batch.invalid_count,
        "errors": [{"row": e["row"], "message": e["message"]} for e in batch.errors],
    }


class TabularActionsMixin:
    """Adds ``import/`` and ``export/`` list actions to a viewset (see module docstring)."""

    import_key: str = ""
    export_key: str = ""

    @extend_schema(
        summary="导入（上传并预览）",
        request=UPLOAD_SCHEMA,
        responses={201: PREVIEW_SCHEMA, 400: OpenApiResponse(description="文件或参数有误")},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    @upload_limit(reader.max_bytes)
    def import_file(self, request, *args, **kwargs):
        if not self.import_key:
            raise NotFound("该资源不支持导入")
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError("请上传 Excel 文件（表单字段 file）")
        params = {k: v for k, v in request.data.items() if k != "file"}
        batch = services.import_preview(
            actor=request.user,
            key=self.import_key,
            fileobj=upload,
            file_name=upload.name,
            size=upload.size,
            params=params,
        )
        return Response(preview_payload(batch), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="导出查询结果（.xlsx）",
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export_file(self, request, *args, **kwargs):
        if not self.export_key:
            raise NotFound("该资源不支持导出")
        started = services.export_start(
            actor=request.user, key=self.export_key, params=request.query_params, background=False
        )
        return FileResponse(
            started.file, as_attachment=True, filename=started.file_name, content_type=XLSX
        )


class ImportBatchViewSet(viewsets.GenericViewSet):
    """导入批次: the preview of an upload, and its 提交."""

    queryset = ImportBatch.objects.none()
    serializer_class = None

    def get_object(self) -> ImportBatch:
        return selectors.import_batch_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary="导入预览", responses={200: PREVIEW_SCHEMA})
    def retrieve(self, request, pk=None):
        return Response(preview_payload(self.get_object()))

    @extend_schema(summary="提交导入", request=None, responses={200: COMMIT_SCHEMA})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        result = services.import_commit(actor=request.user, batch=self.get_object())
        batch = result.batch
        return Response(
            {
                "id": batch.pk,
                "status": batch.status,
                "created": result.created,
                "already_committed": result.already_committed,
                "total": batch.total,
                "valid": batch.valid_count,
                "invalid": batch.invalid_count,
            }
        )


def register(router) -> None:
    router.register("imports", ImportBatchViewSet, basename="import-batch")

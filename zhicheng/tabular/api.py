"""API of the engine.

- ``TabularActionsMixin`` for a resource's viewset (set ``import_key`` / ``export_key``):
  ``POST /api/v1/<resource>/import/`` (multipart ``file`` + page params) → 201
  ``{"id", "total", "valid", "invalid", "errors": [{"row", "message"}]}`` and
  ``GET /api/v1/<resource>/export/?<list filters>`` → 200 .xlsx, or, from
  ``EXPORT_BACKGROUND_THRESHOLD`` rows on (as the pages), 202 with the background job
  ``{"id", "status", "url", …}`` (``Location`` header too): poll
  ``GET /api/v1/export-jobs/<id>/`` until ``download`` is set, then get that .xlsx.
  Jobs are their owner's only (404 for anyone else).
- ``POST /api/v1/imports/<id>/commit/`` → ``{"id", "status", "created", "already_committed", …}``;
  ``GET /api/v1/imports/<id>/`` → the preview again.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zhicheng.common.errors import ApplicationError
from zhicheng.common.uploads import upload_limit
from zhicheng.tabular import reader, selectors, services
from zhicheng.tabular.models import ExportJob, ImportBatch

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
EXPORT_JOB_SCHEMA = inline_serializer(
    "ExportJob",
    {
        "id": serializers.IntegerField(),
        "key": serializers.CharField(help_text="导出类型"),
        "status": serializers.ChoiceField(
            choices=["pending", "running", "interrupted", "done", "failed"],
            help_text="pending 排队中 · running 导出中 · interrupted 已中断（正在重新排队）"
            " · done 已完成 · failed 失败",
        ),
        "status_display": serializers.CharField(),
        "interrupted": serializers.BooleanField(
            help_text="后台进程已中断（超过设定时间没有心跳），系统将自动重新排队"
        ),
        "total": serializers.IntegerField(),
        "done": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "error": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "finished_at": serializers.DateTimeField(allow_null=True),
        "url": serializers.URLField(help_text="本任务（轮询）"),
        "download": serializers.URLField(allow_null=True, help_text="完成后的 .xlsx 下载地址"),
    },
)
XLSX_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="导出的 Excel 文件（.xlsx）")
UPLOAD_SCHEMA = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}},
        "required": ["file"],
    }
}


def export_job_payload(job: ExportJob, request) -> dict:
    url = request.build_absolute_uri(reverse("export-job-detail", args=[job.pk]))
    download = None
    if job.status == "done" and job.file_path:
        download = request.build_absolute_uri(reverse("export-job-download", args=[job.pk]))
    interrupted = job.is_interrupted
    return {
        "id": job.pk,
        "key": job.key,
        "status": "interrupted" if interrupted else job.status,
        "status_display": "已中断（正在重新排队）" if interrupted else job.get_status_display(),
        "interrupted": interrupted,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "url": url,
        "download": download,
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


# The export action's schema, also for a viewset that overrides the action (blacklist).
export_schema = extend_schema(
    summary="导出查询结果（.xlsx；数据量大时转为后台任务）",
    description=(
        "与列表相同的查询条件与数据范围。少于 EXPORT_BACKGROUND_THRESHOLD 条（默认 10000）时"
        "直接返回 .xlsx（200）；否则与页面一样转为后台导出任务，返回 202 与任务信息"
        "（Location 头为任务地址）：轮询 GET /api/v1/export-jobs/{id}/，完成后 download "
        "即 .xlsx 的下载地址。"
    ),
    responses={
        (200, XLSX): XLSX_RESPONSE,
        202: OpenApiResponse(EXPORT_JOB_SCHEMA, description="已转为后台导出任务"),
        400: OpenApiResponse(description='查询条件有误（{"detail"}）'),
        403: OpenApiResponse(description="无权导出"),
    },
)


class TabularActionsMixin:
    """Adds ``import/`` and ``export/`` list actions to a viewset (see module docstring)."""

    import_key: str = ""
    export_key: str = ""
    listing = None  # a common.listing.Listing: its filters are checked (400) before exporting

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

    def export_params(self, request):
        """The export's query: the request's (a viewset whose list sits under a parent in the
        path overrides it, e.g. a plan's panel)."""
        return request.query_params

    @export_schema
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export_file(self, request, *args, **kwargs):
        if not self.export_key:
            raise NotFound("该资源不支持导出")
        # The API keeps GET for exports (the contract), and a large one starts a job: a browser
        # session must not be made to start one from another site (a link or an image there).
        # Token clients send no such header; browsers say where a request comes from.
        if request.auth is None and request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
            raise PermissionDenied("不能从其他网站发起导出")
        params = self.export_params(request)
        if self.listing is not None:
            self.listing.filters_from(params, strict=True)
        started = services.export_start(actor=request.user, key=self.export_key, params=params)
        if started.file is None:
            payload = export_job_payload(started.job, request)
            return Response(
                payload, status=status.HTTP_202_ACCEPTED, headers={"Location": payload["url"]}
            )
        return FileResponse(
            started.file, as_attachment=True, filename=started.file_name, content_type=XLSX
        )


class ExportJobViewSet(viewsets.GenericViewSet):
    """导出任务: a background export's progress and, once done, its file (the owner's only)."""

    queryset = ExportJob.objects.none()
    serializer_class = None

    def get_object(self) -> ExportJob:
        return selectors.export_job_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="导出任务进度",
        responses={200: EXPORT_JOB_SCHEMA, 404: OpenApiResponse(description="不存在或非本人任务")},
    )
    def retrieve(self, request, pk=None):
        return Response(export_job_payload(self.get_object(), request))

    @extend_schema(
        summary="下载导出文件（.xlsx）",
        responses={
            (200, XLSX): XLSX_RESPONSE,
            404: OpenApiResponse(description="不存在、非本人任务、尚未完成或文件已过期"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        path = services.export_file_path(job)
        if path is None:
            raise Http404("导出文件不存在或尚未生成")
        return FileResponse(
            path.open("rb"), as_attachment=True, filename=job.file_name, content_type=XLSX
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
    router.register("export-jobs", ExportJobViewSet, basename="export-job")

"""Pages of the engine: 下载模板, 导入 (preview, HTMX partial), 提交, 错误文件, 导出, export jobs.

Thin: every action is a service call; ``ApplicationError`` is shown in the dialog (or as a
message) in Chinese, never a 500; an unknown key or someone else's batch/job is a 404.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhicheng.common.errors import ApplicationError
from zhicheng.common.redirects import safe_target
from zhicheng.common.uploads import upload_limit
from zhicheng.tabular import reader, selectors, services
from zhicheng.tabular.engine import ExportSpec, ImportSpec, get_export_spec, get_import_spec
from zhicheng.tabular.models import ImportBatch, export_stall_after

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_LIMIT = 200  # failed rows listed in the dialog; the error file has them all


def _import_spec(request: HttpRequest, key: str) -> ImportSpec:
    try:
        spec = get_import_spec(key)
    except LookupError:
        raise Http404("导入类型不存在") from None
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied("无权执行此导入")
    return spec


def _export_spec(request: HttpRequest, key: str) -> ExportSpec:
    try:
        spec = get_export_spec(key)
    except LookupError:
        raise Http404("导出类型不存在") from None
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied("无权执行此导出")
    return spec


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _render_import(request: HttpRequest, spec: ImportSpec, **context) -> HttpResponse:
    batch: ImportBatch | None = context.get("batch")
    context.update(spec=spec, preview_limit=PREVIEW_LIMIT)
    if batch is not None:
        context["failed_rows"] = batch.errors[:PREVIEW_LIMIT]
    if _is_htmx(request):
        return render(request, "tabular/_import_preview.html", context)
    return render(request, "tabular/import_page.html", context)


@login_required
@require_GET
def import_page(request: HttpRequest, key: str) -> HttpResponse:
    """The import dialog as a page of its own (links, no-JS fallback)."""
    return _render_import(request, _import_spec(request, key))


@login_required
@require_GET
def import_template(request: HttpRequest, key: str) -> FileResponse:
    spec = _import_spec(request, key)
    buffer = io.BytesIO()
    services.import_template(actor=request.user, key=spec.key, fileobj=buffer)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=f"{spec.title}导入模板.xlsx", content_type=XLSX
    )


@upload_limit(reader.max_bytes)
@login_required
@require_POST
def import_upload(request: HttpRequest, key: str) -> HttpResponse:
    spec = _import_spec(request, key)
    upload = request.FILES.get("file")
    if upload is None:
        return _render_import(request, spec, error="请选择要导入的 Excel 文件（.xlsx）")
    try:
        batch = services.import_preview(
            actor=request.user,
            key=spec.key,
            fileobj=upload,
            file_name=upload.name,
            size=upload.size,
            params=request.POST,
        )
    except ApplicationError as exc:
        return _render_import(request, spec, error=exc.message)
    return _render_import(request, spec, batch=batch)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    spec = _import_spec(request, batch.key)
    try:
        result = services.import_commit(actor=request.user, batch=batch)
    except ApplicationError as exc:
        if not _is_htmx(request):
            messages.error(request, exc.message)
            return redirect("tabular:import", key=spec.key)
        return _render_import(request, spec, batch=batch, error=exc.message)
    if not _is_htmx(request):
        if result.already_committed:
            messages.info(request, "该批次已提交过，未重复导入")
        else:
            messages.success(request, f"导入完成：成功导入{result.created}条{spec.title}")
        return redirect("tabular:import", key=spec.key)
    response = _render_import(request, spec, batch=result.batch, result=result)
    response["HX-Trigger"] = "tabular-imported"
    return response


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    spec = _import_spec(request, batch.key)
    buffer = io.BytesIO()
    services.import_error_file(actor=request.user, batch=batch, fileobj=buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{spec.title}导入错误_{batch.pk}.xlsx",
        content_type=XLSX,
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, key: str) -> HttpResponse:
    """导出查询结果: the list's filters → the same rows, as .xlsx (or a background job).

    Only a POST (with the CSRF token) exports: the pages' 导出 button posts the screen's query
    string to this URL. A GET — a bookmark, an old link, or a cross-site ``<img>`` riding an
    officer's session — only shows what would be exported, with the button."""
    spec = _export_spec(request, key)
    if request.method == "GET":
        return render(
            request,
            "tabular/export_confirm.html",
            {
                "spec": spec,
                "export_url": reverse("tabular:export", args=[spec.key]),
                "export_query": request.GET.urlencode(),
                "filters": services.export_filters_describe(spec=spec, params=request.GET),
            },
        )
    params = request.GET.copy()
    for name, values in request.POST.lists():
        if name != "csrfmiddlewaretoken":
            params.setlist(name, values)
    try:
        started = services.export_start(actor=request.user, key=spec.key, params=params)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(safe_target(request, request.META.get("HTTP_REFERER"), reverse("web:home")))
    if started.file is None:
        messages.info(request, f"共 {started.job.total} 条数据，已转为后台导出，完成后可在此下载")
        return redirect("tabular:export-job", pk=started.job.pk)
    return FileResponse(
        started.file, as_attachment=True, filename=started.file_name, content_type=XLSX
    )


@login_required
@require_GET
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    context = {"job": job, "stall_seconds": int(export_stall_after().total_seconds())}
    if _is_htmx(request):
        response = render(request, "tabular/_export_progress.html", context)
        if job.is_finished:
            response.status_code = 286  # HTMX: stop polling
        return response
    return render(request, "tabular/export_job.html", context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    path = services.export_file_path(job)
    if path is None:
        raise Http404("导出文件不存在或尚未生成")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=XLSX
    )

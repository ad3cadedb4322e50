"""Import and export actions: preview, commit, export (in the request or as a background job).

Parsing and validating an upload happens outside any transaction (SQLite takes its write lock at
BEGIN); only the short write of the batch row is atomic. A commit locks the batch row, so a second
commit or a double click never imports twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.query import clean_text, query_text
from zhicheng.common.workflow import transition
from zhicheng.tabular import reader, writer
from zhicheng.tabular.engine import (
    ExportSpec,
    ImportRow,
    ImportSpec,
    get_export_spec,
    get_import_spec,
)
from zhicheng.tabular.models import (
    ExportJob,
    ExportStatus,
    ImportBatch,
    ImportStatus,
    export_stall_after,
)

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

logger = logging.getLogger(__name__)

IMPORT_BATCH_TTL = dt.timedelta(hours=24)
# A job waiting in the queue this long is queued again, in case its task was lost.
EXPORT_REQUEUE_AFTER = dt.timedelta(minutes=10)
EXPORT_MAX_ATTEMPTS = 3  # runs of one job, the interrupted ones included
EXPORT_LEFTOVER_GRACE = dt.timedelta(minutes=10)
HEARTBEAT_SECONDS = 1.0  # at most one progress write a second (the page polls every second)
EXPORT_FILE_TTL = dt.timedelta(days=7)
EXPORTS_DIR = "exports"
FULL_ID_PERMISSION = "accounts.view_full_id_number"
MAX_LISTED_CHANGES = 10


def _import_spec_for(actor: User, key: str) -> ImportSpec:
    try:
        spec = get_import_spec(key)
    except LookupError:
        raise ApplicationError("未知的导入类型") from None
    if not actor.has_perm(spec.permission):
        raise PermissionDenied("无权执行此导入")
    return spec


def _export_spec_for(actor: User, key: str) -> ExportSpec:
    try:
        spec = get_export_spec(key)
    except LookupError:
        raise ApplicationError("未知的导出类型") from None
    if not actor.has_perm(spec.permission):
        raise PermissionDenied("无权执行此导出")
    return spec


# The action of the workflow table that leads to each status (one per status here).
_IMPORT_ACTION = {ImportStatus.COMMITTED: "commit", ImportStatus.EXPIRED: "expire"}
_EXPORT_ACTION = {
    ExportStatus.RUNNING: "start",
    ExportStatus.INTERRUPTED: "interrupt",
    ExportStatus.DONE: "finish",
    ExportStatus.FAILED: "fail",
}


def import_batch_transition(batch: ImportBatch, status: str) -> None:
    """An import batch's move, through the workflow kernel (caller holds the row lock and
    saves the row with its other columns; a batch keeps no record and the import itself is
    what the operation log records)."""
    transition(batch, _IMPORT_ACTION.get(status, status), actor=None, to=status, save=False)


def export_job_transition(job: ExportJob, status: str) -> None:
    """An export job's move, through the workflow kernel (as ``import_batch_transition``)."""
    transition(job, _EXPORT_ACTION.get(status, status), actor=None, to=status, save=False)


# --- Import ---------------------------------------------------------------------------------


def import_preview(
    *,
    actor: User,
    key: str,
    fileobj: IO[bytes],
    file_name: str = "",
    size: int | None = None,
    params: Mapping[str, Any] | None = None,
) -> ImportBatch:
    """Check the file, validate every row, persist the preview. Writes nothing else."""
    spec = _import_spec_for(actor, key)
    clean_params = spec.clean_params(params or {})
    reader.check_upload(fileobj, size=size)
    rows = reader.read_rows(spec, fileobj)
    if not rows:
        raise ApplicationError("文件中没有可导入的数据行")
    spec.validate(rows, actor=actor, params=clean_params)
    valid = [{"row": r.number, "data": r.data} for r in rows if r.ok]
    failed = [{"row": r.number, "message": r.message, "values": r.values} for r in rows if not r.ok]
    batch = ImportBatch(
        key=spec.key,
        actor=actor,
        file_name=(file_name or "")[:255],
        params=clean_params,
        total=len(rows),
        valid_count=len(valid),
        invalid_count=len(failed),
        rows=valid,
        errors=failed,
    )
    batch.full_clean()
    with transaction.atomic():
        batch.save()
    return batch


@dataclass(frozen=True)
class CommitResult:
    batch: ImportBatch
    created: int  # records written by this call (0 when the batch was committed before)
    already_committed: bool


@transaction.atomic
def import_commit(*, actor: User, batch: ImportBatch) -> CommitResult:
    """Commit exactly the valid rows of the preview, in one transaction, at most once.

    The rows are validated again against the database first; if any is no longer valid, nothing
    is written and the message lists the rows.
    """
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.actor_id != actor.pk:
        raise ApplicationError("只能提交本人上传的导入批次")
    spec = _import_spec_for(actor, locked.key)
    if locked.status == ImportStatus.COMMITTED:
        return CommitResult(batch=locked, created=0, already_committed=True)
    if (
        locked.status == ImportStatus.EXPIRED
        or timezone.now() - locked.created_at > IMPORT_BATCH_TTL
    ):
        raise ApplicationError("该导入预览已过期，请重新上传文件")
    if not locked.rows:
        raise ApplicationError("没有校验通过的数据，无可提交的内容")
    rows = [ImportRow(number=r["row"], values=[], data=r["data"]) for r in locked.rows]
    spec.validate(rows, actor=actor, params=locked.params)
    changed = [r for r in rows if not r.ok]
    if changed:
        listed = "；".join(f"第{r.number}行：{r.message}" for r in changed[:MAX_LISTED_CHANGES])
        more = f"等共{len(changed)}行" if len(changed) > MAX_LISTED_CHANGES else ""
        raise ApplicationError(
            f"预览后数据已发生变化，{listed}{more}。本次未导入任何数据，请重新上传文件",
            extra={"errors": [{"row": r.number, "message": r.message} for r in changed]},
        )
    try:
        with transaction.atomic():
            created = spec.commit([r.data for r in rows], actor, locked.params)
    except IntegrityError:
        logger.info("import batch %s hit a constraint at commit", locked.pk, exc_info=True)
        raise ApplicationError(
            "提交时发现数据冲突（可能有其他用户同时新增了相同数据），本次未导入任何数据，请重新上传文件"
        ) from None
    import_batch_transition(locked, ImportStatus.COMMITTED)
    locked.committed_count = created
    locked.committed_at = timezone.now()
    locked.save(update_fields=["status", "committed_count", "committed_at"])
    params = "，".join(f"{k}={v}" for k, v in locked.params.items())
    operation_record(
        actor=actor,
        operation="import",
        obj=locked,
        summary=(
            f"导入{spec.title}：共{locked.total}条，成功导入{created}条，"
            f"校验失败{locked.invalid_count}条；文件 {locked.file_name or '-'}"
            + (f"；参数 {params}" if params else "")
        ),
    )
    return CommitResult(batch=locked, created=created, already_committed=False)


def import_error_file(*, actor: User, batch: ImportBatch, fileobj: IO[bytes]) -> None:
    """Write the failed rows plus an 错误原因 column (the batch is the actor's, see selectors)."""
    if batch.actor_id != actor.pk:
        raise PermissionDenied("只能下载本人的错误文件")
    spec = get_import_spec(batch.key)
    with work_dir("errors-") as work:
        writer.write_error_file(spec, batch.errors, fileobj, tmpdir=str(work))


def import_template(*, actor: User, key: str, fileobj: IO[bytes]) -> ImportSpec:
    spec = _import_spec_for(actor, key)
    with work_dir("template-") as work:
        writer.write_template(spec, fileobj, tmpdir=str(work))
    return spec


@transaction.atomic
def import_batches_expire() -> int:
    """Housekeeping: previews older than the TTL expire and drop their stored rows."""
    cutoff = timezone.now() - IMPORT_BATCH_TTL
    stale = ImportBatch.objects.select_for_update().filter(
        status=ImportStatus.PREVIEWED, created_at__lt=cutoff
    )
    count = 0
    for batch in stale:
        import_batch_transition(batch, ImportStatus.EXPIRED)
        batch.rows = []
        batch.save(update_fields=["status", "rows"])
        count += 1
    # Committed rows live in their own tables now; the batch keeps counts and the error rows.
    ImportBatch.objects.filter(status=ImportStatus.COMMITTED, committed_at__lt=cutoff).exclude(
        rows=[]
    ).update(rows=[])
    return count


# --- Export ---------------------------------------------------------------------------------


def _export_file_name(spec: ExportSpec) -> str:
    return f"{spec.title}_{timezone.localtime():%Y%m%d_%H%M%S}.xlsx"


def _export_rows(spec: ExportSpec, actor: User, params: Mapping[str, str]):
    queryset = spec.queryset(actor, params)
    fields = [c.field for c in spec.columns]
    return queryset.values_list(*fields).iterator(chunk_size=2000)


def _plain_params(params: Mapping[str, Any]) -> dict[str, str]:
    """request.GET → a JSON-able dict of non-empty filters (last value wins, as in a form),
    through the shared query parser (no NUL characters, bounded length)."""
    filters = {clean_text(k, max_length=50): query_text(params, k) for k in params}
    return {k: v for k, v in filters.items() if k and v}


def export_filters_describe(*, spec: ExportSpec, params: Mapping[str, Any]) -> str:
    """The filters of an export in Chinese, as the operation log records them."""
    return spec.describe_filters(_plain_params(params))


def export_tmp_root() -> Path:
    """Where exports are written while in progress: under the var directory, never /tmp."""
    root = Path(getattr(settings, "EXPORT_TMP_DIR", Path(settings.VAR_DIR) / "tmp" / "exports"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def work_dir(prefix: str) -> Iterator[Path]:
    """A directory of its own under ``export_tmp_root()``, removed with everything in it on the
    way out, success or failure (the housekeeping sweeps what a killed process left)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=export_tmp_root()))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def background_threshold() -> int:
    return int(getattr(settings, "EXPORT_BACKGROUND_THRESHOLD", 10_000))


@dataclass
class ExportStart:
    job: ExportJob
    file: IO[bytes] | None  # the finished workbook (small exports), positioned at 0
    file_name: str = ""


def export_start(
    *, actor: User, key: str, params: Mapping[str, Any], background: bool | None = None
) -> ExportStart:
    """Export the rows of the list query. Below ``EXPORT_BACKGROUND_THRESHOLD`` rows (or with
    ``background=False``) the file is written now, to an anonymous file under the var directory
    with bounded memory; otherwise (or with ``background=True``) a background job starts."""
    spec = _export_spec_for(actor, key)
    filters = _plain_params(params)
    total: int | None = None
    if background is None:
        total = spec.queryset(actor, filters).count()
        background = total >= background_threshold()
    if background:
        if total is None:
            total = spec.queryset(actor, filters).count()
        with transaction.atomic():
            job = ExportJob(
                key=spec.key,
                actor=actor,
                params=filters,
                background=True,
                total=total,
                heartbeat_at=timezone.now(),
            )
            job.full_clean()
            job.save()
            transaction.on_commit(lambda: _enqueue_export(job.pk))
        return ExportStart(job=job, file=None)

    file_name = _export_file_name(spec)
    with work_dir("request-") as work:
        # Returned open to the caller, which streams and closes it; anonymous (unlinked at
        # once), so it never outlives the response, and the directory can go now.
        handle = tempfile.TemporaryFile(dir=work)  # noqa: SIM115
        try:
            written = writer.write_export(
                title=spec.title,
                columns=spec.columns,
                rows=_export_rows(spec, actor, filters),
                fileobj=handle,
                full_id=False,  # exports are lists: 身份证号 always masked
                tmpdir=str(work),
            )
        except BaseException:
            handle.close()
            raise
    handle.seek(0)
    with transaction.atomic():
        job = ExportJob(
            key=spec.key,
            actor=actor,
            params=filters,
            status=ExportStatus.DONE,
            total=written,
            done=written,
            file_name=file_name,
            finished_at=timezone.now(),
        )
        job.save()
        _record_export(actor=actor, spec=spec, job=job)
    return ExportStart(job=job, file=handle, file_name=file_name)


def _enqueue_export(job_id: int) -> None:
    from zhicheng.tabular.tasks import export_job_task

    export_job_task(job_id)


def _record_export(*, actor: User, spec: ExportSpec, job: ExportJob) -> None:
    operation_record(
        actor=actor,
        operation="export",
        obj=job,
        summary=(
            f"导出{spec.title}：{job.done}条；查询条件：{spec.describe_filters(job.params)}"
            + ("（后台任务）" if job.background else "")
        ),
    )


def exports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS_DIR


def export_file_path(job: ExportJob) -> Path | None:
    """The job's file on disk, only if it lies inside MEDIA_ROOT/exports/ and exists."""
    if not job.file_path:
        return None
    root = exports_root().resolve()
    path = (Path(settings.MEDIA_ROOT) / job.file_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


class ExportSuperseded(Exception):
    """This run's claim was given up on (the job was interrupted and re-queued): stop, write
    nothing more, leave the job to the run that holds it now."""


class _Heartbeat:
    """The worker's progress callback: at most every ``HEARTBEAT_SECONDS`` it writes the rows
    done and the time, only while the job still holds this run's claim."""

    def __init__(self, job_id: int, claim: int) -> None:
        self.job_id = job_id
        self.claim = claim
        self.last = time.monotonic()

    def beat(self, done: int | None = None) -> None:
        changes: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if done is not None:
            changes["done"] = done
        held = ExportJob.objects.filter(
            pk=self.job_id, attempt=self.claim, status=ExportStatus.RUNNING
        ).update(**changes)
        if not held:
            raise ExportSuperseded
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        if time.monotonic() - self.last >= HEARTBEAT_SECONDS:
            self.beat(done)


def _claim(job_id: int) -> tuple[ExportJob, int | None]:
    """Take the job for this run (the next attempt number), or say why not: finished, or
    running under a live worker's claim (a duplicate delivery of the task)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("actor").get(pk=job_id)
        if job.is_finished:
            return job, None
        if job.status == ExportStatus.RUNNING and not job.is_interrupted:
            return job, None
        if job.status == ExportStatus.RUNNING:  # its worker stopped beating: give it up
            export_job_transition(job, ExportStatus.INTERRUPTED)
        if job.attempt >= EXPORT_MAX_ATTEMPTS:
            export_job_transition(job, ExportStatus.FAILED)
            job.error = "导出多次中断未能完成，请缩小查询范围后重新导出"
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at", "updated_at"])
            return job, None
        export_job_transition(job, ExportStatus.RUNNING)
        job.attempt += 1
        job.heartbeat_at = timezone.now()
        job.done = 0
        job.error = ""
        job.save(update_fields=["status", "attempt", "heartbeat_at", "done", "error", "updated_at"])
    return job, job.attempt


def export_job_run(*, job_id: int) -> ExportJob:
    """Run a background export under a claim (see ``ExportJob.attempt``). Idempotent: a
    finished job, or one a live worker is running, is left alone; a run whose claim was given
    up on stops at its next heartbeat and its result is never written. The workbook is written
    in a work directory under the var directory and moved into MEDIA_ROOT/exports/ on success;
    the directory goes whatever happens."""
    job, claim = _claim(job_id)
    if claim is None:
        return job
    actor = job.actor
    heartbeat = _Heartbeat(job.pk, claim)
    try:
        with work_dir(f"job{job.pk}-a{claim}-") as work:
            spec = _export_spec_for(actor, job.key)
            if not actor.is_active:
                raise PermissionDenied("账号已停用")
            partial = work / "export.xlsx"
            written = writer.write_export(
                title=spec.title,
                columns=spec.columns,
                rows=_export_rows(spec, actor, job.params),
                fileobj=str(partial),
                full_id=False,  # exports are lists: 身份证号 always masked
                progress=heartbeat,
                tmpdir=str(work),
            )
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job_id)
                if job.attempt != claim or job.status != ExportStatus.RUNNING:
                    raise ExportSuperseded
                relative = f"{EXPORTS_DIR}/{job.pk}-{secrets.token_hex(8)}.xlsx"
                target = Path(settings.MEDIA_ROOT) / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(partial, target)  # a rename: both lie under the var directory
                export_job_transition(job, ExportStatus.DONE)
                job.done = job.total = written
                job.file_path = relative
                job.file_name = _export_file_name(spec)
                job.heartbeat_at = job.finished_at = timezone.now()
                job.save()
                _record_export(actor=actor, spec=spec, job=job)
            return job
    except ExportSuperseded:
        logger.warning("export job %s: attempt %s was superseded, result dropped", job_id, claim)
        return ExportJob.objects.get(pk=job_id)
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        message = exc.message if isinstance(exc, ApplicationError) else "导出失败，请稍后重试"
        if isinstance(exc, PermissionDenied):
            message = "无权执行此导出"
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.attempt == claim and job.status == ExportStatus.RUNNING:
                export_job_transition(job, ExportStatus.FAILED)
                job.error = message
                job.finished_at = timezone.now()
                job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return job


def export_jobs_resume_stale() -> int:
    """The watch (every minute): a running job whose worker has not beaten its heartbeat for
    ``EXPORT_STALL_SECONDS`` is marked interrupted and re-queued; a job waiting in the queue
    (pending, or interrupted and not picked up) for ``EXPORT_REQUEUE_AFTER`` is queued again
    in case its task was lost. Safe to run concurrently: each job is re-queued by the one
    caller that moves it under the row lock, and a duplicate task finds the job claimed."""
    now = timezone.now()
    stalled = now - export_stall_after()
    waiting = now - EXPORT_REQUEUE_AFTER
    candidates = ExportJob.objects.filter(background=True).filter(
        Q(status=ExportStatus.RUNNING, heartbeat_at__lt=stalled)
        | Q(status=ExportStatus.RUNNING, heartbeat_at__isnull=True, updated_at__lt=stalled)
        | Q(status__in=[ExportStatus.PENDING, ExportStatus.INTERRUPTED], heartbeat_at__lt=waiting)
        | Q(
            status__in=[ExportStatus.PENDING, ExportStatus.INTERRUPTED],
            heartbeat_at__isnull=True,
            created_at__lt=waiting,
        )
    )
    requeued = []
    for job_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status == ExportStatus.RUNNING:
                if not job.is_interrupted:
                    continue  # it beat in the meantime
                export_job_transition(job, ExportStatus.INTERRUPTED)
            elif job.status not in (ExportStatus.PENDING, ExportStatus.INTERRUPTED) or (
                job.last_beat >= waiting
            ):
                continue
            job.heartbeat_at = now  # from now on: the time it was re-queued
            job.save(update_fields=["status", "heartbeat_at", "updated_at"])
        logger.warning("export job %s: no heartbeat since %s, re-queued", job_id, job.last_beat)
        requeued.append(job_id)
    for job_id in requeued:
        _enqueue_export(job_id)
    return len(requeued)


def export_files_purge() -> int:
    """Housekeeping: finished export files are kept ``EXPORT_FILE_TTL``, then deleted."""
    cutoff = timezone.now() - EXPORT_FILE_TTL
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file_path=""):
        path = export_file_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(file_path="")
        purged += 1
    return purged


_WORK_DIR_NAME = re.compile(r"^job(?P<job>\d+)-a(?P<attempt>\d+)-")


def export_leftovers_sweep() -> int:
    """Housekeeping: what a killed worker or request left behind — work directories whose run
    no longer holds its job (or requests long gone), and files in MEDIA_ROOT/exports/ that no
    job points to. Anything younger than ``EXPORT_LEFTOVER_GRACE`` is left alone."""
    cutoff = time.time() - EXPORT_LEFTOVER_GRACE.total_seconds()
    removed = 0
    live = {
        (pk, attempt)
        for pk, attempt in ExportJob.objects.filter(status=ExportStatus.RUNNING).values_list(
            "pk", "attempt"
        )
    }
    for path in export_tmp_root().iterdir():
        match = _WORK_DIR_NAME.match(path.name)
        if match and (int(match["job"]), int(match["attempt"])) in live:
            continue
        if _mtime(path) < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    root = exports_root()
    if root.is_dir():
        kept = set(
            ExportJob.objects.exclude(file_path="")
            .filter(file_path__startswith=f"{EXPORTS_DIR}/")
            .values_list("file_path", flat=True)
        )
        for path in root.iterdir():
            if f"{EXPORTS_DIR}/{path.name}" in kept or not path.is_file():
                continue
            if _mtime(path) < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")

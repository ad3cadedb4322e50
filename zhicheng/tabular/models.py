import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhicheng.common.scoping import scope_rule
from zhicheng.common.workflow import Workflow


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "待提交"
    COMMITTED = "committed", "已提交"
    EXPIRED = "expired", "已过期"


# The only allowed moves (``ImportBatch.workflow``), applied through the workflow kernel by
# ``services.import_batch_transition``.
IMPORT_WORKFLOW = Workflow(
    {
        ImportStatus.PREVIEWED: {"commit": ImportStatus.COMMITTED, "expire": ImportStatus.EXPIRED},
        ImportStatus.COMMITTED: {},
        ImportStatus.EXPIRED: {},
    },
    actions={"commit": "提交", "expire": "过期"},
    refused=lambda batch, action, to: (
        f"导入批次状态为“{batch.get_status_display()}”，不能变更为“{ImportStatus(to).label}”"
    ),
)
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = IMPORT_WORKFLOW.targets()


@scope_rule(org_path="actor__organization__path", owner="actor")
class ImportBatch(models.Model):
    """One uploaded file after validation: the preview, persisted until it is committed."""

    key = models.CharField("导入类型", max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    params = models.JSONField("页面参数", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    total = models.PositiveIntegerField("总条数", default=0)
    valid_count = models.PositiveIntegerField("成功条数", default=0)
    invalid_count = models.PositiveIntegerField("失败条数", default=0)
    committed_count = models.PositiveIntegerField("已导入条数", default=0)
    # [{"row": 2, "data": {...}}] — the parsed valid rows, committed as they are.
    rows = models.JSONField("有效数据", default=list, blank=True)
    # [{"row": 3, "message": "...", "values": [...]}] — the failed rows as typed.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("提交时间", null=True, blank=True)

    workflow = IMPORT_WORKFLOW

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["actor", "-created_at"])]

    def __str__(self) -> str:
        return f"导入批次 #{self.pk}（{self.key}）"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "导出中"
    INTERRUPTED = "interrupted", "已中断（正在重新排队）"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


# The only allowed moves (``ExportJob.workflow``), applied through the workflow kernel by
# ``services.export_job_transition``.
EXPORT_WORKFLOW = Workflow(
    {
        ExportStatus.PENDING: {"start": ExportStatus.RUNNING, "fail": ExportStatus.FAILED},
        # interrupt: the worker stopped beating its heartbeat (killed, machine lost); the watch
        # re-queues the job and the next run claims it with a new attempt number.
        ExportStatus.RUNNING: {
            "interrupt": ExportStatus.INTERRUPTED,
            "finish": ExportStatus.DONE,
            "fail": ExportStatus.FAILED,
        },
        ExportStatus.INTERRUPTED: {"start": ExportStatus.RUNNING, "fail": ExportStatus.FAILED},
        ExportStatus.DONE: {},
        ExportStatus.FAILED: {},
    },
    actions={"start": "开始导出", "interrupt": "中断", "finish": "完成", "fail": "失败"},
    refused=lambda job, action, to: (
        f"导出任务状态为“{job.get_status_display()}”，不能变更为“{ExportStatus(to).label}”"
    ),
)
EXPORT_TRANSITIONS: dict[str, frozenset[str]] = EXPORT_WORKFLOW.targets()


def export_stall_after() -> dt.timedelta:
    """How long a running export may go without a heartbeat before it counts as interrupted."""
    return dt.timedelta(seconds=int(getattr(settings, "EXPORT_STALL_SECONDS", 60)))


@scope_rule(org_path="actor__organization__path", owner="actor")
class ExportJob(models.Model):
    """One export (导出查询结果). Small exports are written in the request and recorded here as
    done; large ones run in the background and this row is their progress."""

    key = models.CharField("导出类型", max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导出人",
        on_delete=models.PROTECT,
        related_name="export_jobs",
    )
    params = models.JSONField("查询条件", default=dict, blank=True)
    background = models.BooleanField("后台任务", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField("总条数", default=0)
    done = models.PositiveIntegerField("已导出条数", default=0)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_path = models.CharField("文件路径", max_length=500, blank=True)  # under MEDIA_ROOT
    error = models.TextField("错误信息", blank=True)
    # The claim of the run in progress: each run takes the next number under the row lock and
    # writes progress and its result only while the row still holds its number, so a worker
    # that was given up on (and may still be alive) can never overwrite the run that replaced it.
    attempt = models.PositiveSmallIntegerField("运行次数", default=0)
    # Beaten by the running worker (with its progress) at least every few seconds; for a job
    # waiting in the queue, the time it was (re-)queued.
    heartbeat_at = models.DateTimeField("心跳时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("进度更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    workflow = EXPORT_WORKFLOW

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["actor", "-created_at"])]

    def __str__(self) -> str:
        """As the operation log names it: 导出“职称申报” (the list's title, not its key)."""
        from zhicheng.tabular.engine import get_export_spec

        try:
            title = get_export_spec(self.key).title
        except LookupError:
            title = self.key
        return f"导出“{title}”"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def last_beat(self) -> dt.datetime:
        return self.heartbeat_at or self.updated_at or self.created_at

    @property
    def is_interrupted(self) -> bool:
        """Interrupted, or running without a heartbeat for longer than the stall limit (the
        watch will mark and re-queue it within the minute)."""
        if self.status == ExportStatus.INTERRUPTED:
            return True
        return (
            self.status == ExportStatus.RUNNING
            and self.last_beat is not None
            and timezone.now() - self.last_beat > export_stall_after()
        )

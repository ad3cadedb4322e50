"""Writes of 批量发放证书 (1.17) as a background job: any number of 取得职称, issued by a Huey
worker (``certificates.tasks.certificates_issue_job``; ``manage.py issue_job_run <id>``) while
the page shows the progress.

- ``issue_job_create`` freezes the officer's choice (the ticked holdings, or every holding of
  the scope not issued yet) and queues the job once its transaction commits.
- ``issue_job_run`` claims the job with one conditional UPDATE (queued, or running with a
  heartbeat older than the lease, or failed → running): a second run of the same job at the
  same time claims nothing and returns. It then issues in chunks of ``CHUNK``, each in the two
  short transactions of ``issuing`` taken for the whole chunk at once
  (``certificates_begin_chunk``: holdings locked, numbers taken, certificates 生成中;
  ``certificates_finish_chunk``: PDFs stored, 有效). The PDFs are rendered and signed in
  between, outside any transaction, by a pool of ``ZHICHENG_ISSUE_JOB_PROCESSES`` processes
  while this process begins the next chunk (``IN_FLIGHT`` chunks at most). So a SIGKILL
  leaves every certificate issued completely or 生成中 (its number taken, no file), never
  half. After each chunk the progress (position, counts, failures, heartbeat) is written. A
  run started again goes on from ``position``: the certificates this job began before are
  found by each chunk's first transaction, finished when left 生成中 (rendered again) and
  not issued twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates import pdf, rendering
from zhicheng.certificates.models import (
    IssueJob,
    IssueJobStatus,
    IssuingUnit,
)
from zhicheng.certificates.services import issuing
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.workflow import transition
from zhicheng.titles import selectors as title_selectors

logger = logging.getLogger(__name__)

CHUNK = 20
# Chunks begun and not yet finished at once: the pool renders one while the next is begun.
IN_FLIGHT = 2
# A running job whose heartbeat is older than this has lost its worker: a new run takes it over.
LEASE = dt.timedelta(minutes=2)
FAILURES_KEPT = 1000
# The same officer posting the same choice twice within this time gets the first job back.
DOUBLE_SUBMIT_WINDOW = dt.timedelta(seconds=30)


def _queue(job_id: int) -> None:
    """Queue the run once the job is committed (best effort: ``issue_job_run`` by hand or a
    new post finds it again)."""
    try:
        from zhicheng.certificates.tasks import certificates_issue_job

        certificates_issue_job(job_id)
    except Exception:
        logger.warning("could not queue issue job %s", job_id, exc_info=True)


def issue_job_create(
    *,
    actor: User,
    issuing_unit: IssuingUnit | int | None,
    holding_ids: list[int] | None = None,
    everything: bool = False,
    public_url: str | None = None,
) -> IssueJob:
    """批量发放证书: the ticked ``holding_ids``, or (``everything``) every 取得职称 of the
    officer's scope without a certificate. Checks the permission, the unit (in scope, 正常)
    and that there is something to issue; the job is queued when the transaction commits.
    Posting the same choice again while it is fresh returns the same job (double submit)."""
    require_perm(actor, issuing.ISSUE)
    unit = issuing.issuing_unit_for_issue(actor, issuing_unit)
    if everything:
        ids = list(
            title_selectors.title_holdings(user=actor, in_force=True)
            .filter(certificate__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            raise ApplicationError("管辖范围内没有待发放证书的人员")
    else:
        ids = list(dict.fromkeys(int(pk) for pk in holding_ids or []))
        if not ids:
            raise ApplicationError("请勾选要发放证书的人员")
    with transaction.atomic():
        recent = (
            IssueJob.objects.select_for_update()
            .filter(
                created_by=actor,
                issuing_unit=unit,
                created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
                holding_ids=ids,
            )
            .first()
        )
        if recent is not None:
            return recent
        job = IssueJob.objects.create(
            created_by=actor,
            organization_id=actor.organization_id,
            issuing_unit=unit,
            scope="all" if everything else "selected",
            holding_ids=ids,
            total=len(ids),
            public_url=public_url or pdf.public_url(),
        )
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _claim(job_id: int, *, lease: dt.timedelta) -> IssueJob | None:
    """Take the job for this run, or None when another live run has it (or it is over)."""
    job = IssueJob.objects.select_related("created_by", "issuing_unit").filter(pk=job_id).first()
    if job is None:
        raise ApplicationError("批量发放证书任务不存在")
    now = timezone.now()
    if job.status == IssueJobStatus.QUEUED:
        action = "start"
    elif job.status == IssueJobStatus.FAILED or (
        job.status == IssueJobStatus.RUNNING
        and (job.heartbeat_at is None or job.heartbeat_at <= now - lease)
    ):
        action = "resume"
    else:
        return None
    seen_status, seen_heartbeat = job.status, job.heartbeat_at

    def claim(obj: IssueJob) -> None:
        # Only if nobody claimed it since it was read: one run wins.
        seen = Q(pk=obj.pk, status=seen_status, heartbeat_at=seen_heartbeat)
        if seen_heartbeat is None:
            seen = Q(pk=obj.pk, status=seen_status, heartbeat_at__isnull=True)
        columns = {name: getattr(obj, name) for name in ("status", "heartbeat_at", "started_at")}
        if IssueJob.objects.filter(seen).update(**columns) != 1:
            raise _Taken

    try:
        with transaction.atomic():
            transition(
                job,
                action,
                actor=job.created_by,
                values={"heartbeat_at": now, "started_at": job.started_at or now, "error": ""},
                save=claim,
            )
    except _Taken:
        return None
    return job


class _Taken(Exception):
    """Another run claimed the job first."""


def _progress(job: IssueJob, **values) -> None:
    """Write the run's progress and heartbeat (the job is this run's: no status change)."""
    values["heartbeat_at"] = timezone.now()
    for name, value in values.items():
        setattr(job, name, value)
    IssueJob.objects.filter(pk=job.pk).update(**values)


def _end(job: IssueJob, action: str, *, error: str = "") -> None:
    with transaction.atomic():
        transition(
            job,
            action,
            actor=job.created_by,
            values={"finished_at": timezone.now(), "heartbeat_at": timezone.now(), "error": error},
        )


def _render_pool(remaining: int):
    """The processes that render and sign for this run, or None (render here): for a run of
    more than ``IN_FLIGHT`` chunks when more than one process is configured, started fresh
    (``spawn``: nothing of this process's state, threads or connections is inherited) — not
    from a daemonic process (a Huey process worker), which may have no children."""
    processes = settings.ZHICHENG_ISSUE_JOB_PROCESSES
    if processes <= 1 or remaining <= IN_FLIGHT * CHUNK or multiprocessing.current_process().daemon:
        return None
    return ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=rendering.start,
    )


class _Chunk:
    """A chunk begun: its end position, what its first transaction left, and its PDFs (being
    rendered by the pool, or rendered already)."""

    def __init__(self, end: int, begun: issuing.ChunkBegun, pool) -> None:
        self.end, self.begun = end, begun
        texts = [text for _, text in begun.pending]
        if pool is None:
            self.results = [rendering.certificate_pdf(text) for text in texts]
        else:
            self.results = [pool.submit(rendering.certificate_pdf, text) for text in texts]

    def rendered(self) -> list[tuple]:
        signed = [r if isinstance(r, bytes) else r.result() for r in self.results]
        return [
            (certificate, signed_pdf)
            for (certificate, _), signed_pdf in zip(self.begun.pending, signed, strict=True)
        ]


def issue_job_run(job_id: int, *, lease: dt.timedelta = LEASE) -> IssueJob | None:
    """Run (or go on with) the job: issue its certificates in chunks, writing the progress
    after each. Returns the job, or None when another live run holds it or it is over."""
    job = _claim(job_id, lease=lease)
    if job is None:
        return None
    actor = job.created_by
    try:
        require_perm(actor, issuing.ISSUE)
        unit = issuing.issuing_unit_for_issue(actor, job.issuing_unit_id)
    except ApplicationError as exc:
        _end(job, "fail", error=exc.message)
        return job
    pool = _render_pool(len(job.holding_ids) - job.position)
    try:
        failures = list(job.failures)
        done, failed = job.done, job.failed
        begun_to = job.position
        in_flight: deque[_Chunk] = deque()
        depth = 1 if pool is None else IN_FLIGHT  # rendering here: one chunk at a time
        while in_flight or begun_to < len(job.holding_ids):
            # Begin chunks ahead (their numbers taken, 生成中) so that the pool always has
            # pages to render while this process stores the chunk before.
            while begun_to < len(job.holding_ids) and len(in_flight) < depth:
                ids = job.holding_ids[begun_to : begun_to + CHUNK]
                begun = issuing.certificates_begin_chunk(
                    actor=actor,
                    holding_ids=ids,
                    unit=unit,
                    public_url=job.public_url,
                    resume_since=job.created_at,
                )
                begun_to += len(ids)
                in_flight.append(_Chunk(begun_to, begun, pool))
            chunk = in_flight.popleft()
            issuing.certificates_finish_chunk(chunk.rendered())
            done += chunk.begun.done + len(chunk.begun.pending)
            failed += len(chunk.begun.refused)
            for holding_id, reason in chunk.begun.refused:
                if len(failures) < FAILURES_KEPT:
                    failures.append({"holding": holding_id, "reason": reason})
            _progress(job, position=chunk.end, done=done, failed=failed, failures=failures)
    except Exception as exc:
        logger.exception("issue job %s failed", job.pk)
        _end(job, "fail", error=str(exc)[:500] or type(exc).__name__)
        return job
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    _end(job, "finish")
    return job

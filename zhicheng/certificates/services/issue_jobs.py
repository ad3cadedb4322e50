"""Writes of 批量发放证书 (1.17) as a background job: any number of 取得职称, issued by a Huey
worker (``certificates.tasks.certificates_issue_job``; ``manage.py issue_job_run <id>``) while
the page shows the progress.

- ``issue_job_create`` freezes the officer's choice (the ticked holdings, or every holding of
  the scope not issued yet) and queues the job once its transaction commits.
- ``issue_job_run`` claims the job with one conditional UPDATE (queued, or running with a
  heartbeat older than the lease, or failed → running): a second run of the same job at the
  same time claims nothing and returns. It then issues in chunks of ``CHUNK``: each
  certificate in the two short transactions of ``issuing`` (number and 生成中 row; PDF stored
  and 有效), so a SIGKILL leaves every certificate issued completely or not at all. After
  each chunk the progress (position, counts, failures, heartbeat) is written. A run started
  again goes on from ``position``: the certificates of the interrupted chunk that this job
  already began are finished (the 生成中 ones rendered again) and not issued twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    Certificate,
    CertificateStatus,
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


def _resume_started(job: IssueJob, chunk: list[int]) -> set[int]:
    """The holdings of ``chunk`` whose certificate this job issued before it was interrupted:
    finished now when left 生成中 (rendered and stored again), counted as issued."""
    started = {
        c.holding_id: c
        for c in Certificate.objects.select_related(*issuing.PENDING_RELATED).filter(
            holding_id__in=chunk,
            issued_by_id=job.created_by_id,
            issuing_unit_id=job.issuing_unit_id,
            issued_at__gte=job.created_at,
        )
    }
    for certificate in started.values():
        if certificate.status == CertificateStatus.PENDING:
            issuing.certificate_finish_again(certificate, public_url=job.public_url)
    return set(started)


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
    try:
        failures = list(job.failures)
        done, failed = job.done, job.failed
        first = True
        while job.position < len(job.holding_ids):
            chunk = job.holding_ids[job.position : job.position + CHUNK]
            resumed = _resume_started(job, chunk) if first else set()
            first = False
            for holding_id in chunk:
                if holding_id in resumed:
                    done += 1
                    continue
                try:
                    issuing.certificate_issue_checked(
                        actor=actor, holding=holding_id, unit=unit, public_url=job.public_url
                    )
                    done += 1
                except ApplicationError as exc:
                    failed += 1
                    if len(failures) < FAILURES_KEPT:
                        failures.append({"holding": holding_id, "reason": exc.message})
            _progress(
                job,
                position=job.position + len(chunk),
                done=done,
                failed=failed,
                failures=failures,
            )
    except Exception as exc:
        logger.exception("issue job %s failed", job.pk)
        _end(job, "fail", error=str(exc)[:500] or type(exc).__name__)
        return job
    _end(job, "finish")
    return job

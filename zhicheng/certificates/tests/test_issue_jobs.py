"""批量发放证书 as a job (issue 13): created from the ticked holdings or the whole scope,
claimed by exactly one run, issued in chunks with its progress, failures with their reasons,
and a run started again after a crash finishes the rest without a duplicate."""

import datetime as dt

import pytest
from django.core.management import call_command

from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateStatus,
    IssueJob,
    IssueJobStatus,
)
from zhicheng.certificates.services import issue_jobs, issuing
from zhicheng.common.errors import ApplicationError


def test_a_job_issues_every_ticked_holding_and_reports_progress(
    hr_city, nj_unit, pool, held, private_media
):
    holdings = held(3)
    job = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[h.pk for h in holdings]
    )
    assert job.status == IssueJobStatus.QUEUED and job.total == 3 and job.percent == 0
    issue_jobs.issue_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == IssueJobStatus.FINISHED
    assert (job.done, job.failed, job.position, job.percent) == (3, 0, 3, 100)
    assert job.started_at and job.finished_at and job.heartbeat_at
    assert Certificate.objects.filter(status=CertificateStatus.VALID).count() == 3
    assert CertificateNumber.objects.filter(status="used").count() == 3
    # Over: a second run does nothing.
    assert issue_jobs.issue_job_run(job.pk) is None


def test_refused_holdings_are_listed_with_their_reasons(hr_city, nj_unit, pool, held):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    job = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[first.pk, second.pk, 999_999]
    )
    issue_jobs.issue_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == IssueJobStatus.FINISHED
    assert (job.done, job.failed) == (1, 2)
    reasons = {f["holding"]: f["reason"] for f in job.failures}
    assert "已发放证书" in reasons[first.pk]
    assert "不存在或不在您的管辖范围内" in reasons[999_999]


def test_everything_takes_the_scope_not_yet_issued(hr_city, nj_unit, pool, held):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    job = issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, everything=True)
    assert job.holding_ids == [second.pk] and job.scope == "all"
    issue_jobs.issue_job_run(job.pk)
    with pytest.raises(ApplicationError, match="没有待发放证书"):
        issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, everything=True)


def test_create_checks_the_choice_the_unit_and_the_permission(
    hr_city, hr_suzhou, nj_unit, sz_unit, held, applicant
):
    (holding,) = held(1)
    with pytest.raises(ApplicationError, match="请勾选"):
        issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, holding_ids=[])
    with pytest.raises(ApplicationError, match="请选择发证单位"):
        issue_jobs.issue_job_create(actor=hr_city, issuing_unit=None, holding_ids=[holding.pk])
    with pytest.raises(ApplicationError, match="发证单位不存在"):
        issue_jobs.issue_job_create(actor=hr_city, issuing_unit=sz_unit, holding_ids=[holding.pk])
    with pytest.raises(Exception, match="权限"):
        issue_jobs.issue_job_create(actor=applicant, issuing_unit=nj_unit, holding_ids=[1])
    assert not IssueJob.objects.exists()


def test_posting_the_same_choice_twice_gives_the_same_job(hr_city, nj_unit, pool, held):
    (holding,) = held(1)
    first = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[holding.pk]
    )
    again = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[holding.pk]
    )
    assert again.pk == first.pk and IssueJob.objects.count() == 1


def test_a_live_run_is_not_claimed_twice_but_a_dead_one_is_taken_over(hr_city, nj_unit, pool, held):
    (holding,) = held(1)
    job = issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, holding_ids=[holding.pk])
    claimed = issue_jobs._claim(job.pk, lease=issue_jobs.LEASE)
    assert claimed is not None and claimed.status == IssueJobStatus.RUNNING
    # A second run while the first beats its heartbeat: nothing.
    assert issue_jobs.issue_job_run(job.pk) is None
    assert not Certificate.objects.exists()
    # The first run's worker died: after the lease another run takes it over and finishes.
    assert issue_jobs.issue_job_run(job.pk, lease=dt.timedelta(0)).status == "finished"
    assert Certificate.objects.count() == 1


def test_a_crash_mid_chunk_is_finished_by_the_next_run_without_duplicates(
    hr_city, nj_unit, pool, held, monkeypatch, private_media
):
    holdings = held(4)
    job = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[h.pk for h in holdings]
    )
    calls = {"n": 0}
    real_sign = pdf.sign

    class Killed(BaseException):
        """The worker dying (not an Exception: the run does not catch it)."""

    def sign_then_die(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed  # while the chunk's third certificate is signed
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(pdf, "sign", sign_then_die)
    with pytest.raises(Killed):
        issue_jobs.issue_job_run(job.pk)
    monkeypatch.setattr(pdf, "sign", real_sign)
    # The chunk was begun as a whole (numbers taken, 生成中) and is finished as a whole: the
    # crash between its two transactions left every certificate 生成中, none half-issued.
    assert not Certificate.objects.filter(status=CertificateStatus.VALID).exists()
    assert Certificate.objects.filter(status=CertificateStatus.PENDING).count() == 4
    assert not Certificate.objects.exclude(file="").exists()
    job.refresh_from_db()
    assert job.status == IssueJobStatus.RUNNING and job.position == 0
    call_command("issue_job_run", str(job.pk), "--lease", "0")
    job.refresh_from_db()
    assert job.status == IssueJobStatus.FINISHED
    assert (job.done, job.failed, job.failures) == (4, 0, [])
    assert Certificate.objects.filter(status=CertificateStatus.VALID).count() == 4
    assert CertificateNumber.objects.filter(status="used").count() == 4
    numbers = list(Certificate.objects.values_list("number__number", flat=True))
    assert len(numbers) == len(set(numbers)) == 4


def test_a_job_whose_unit_was_deregistered_fails_with_the_reason(hr_city, nj_unit, pool, held):
    from zhicheng.certificates import services

    (holding,) = held(1)
    job = issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, holding_ids=[holding.pk])
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    issue_jobs.issue_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == IssueJobStatus.FAILED and "注销" in job.error
    assert not Certificate.objects.exists()


def _log_of(certificate) -> list[tuple]:
    """What the audit log holds about a certificate, without what differs between two
    certificates (ids, numbers, digests, times)."""
    from auditlog.models import LogEntry

    rows = []
    for entry in LogEntry.objects.filter(
        object_pk=str(certificate.pk), content_type__model="certificate"
    ).order_by("pk"):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        summary = (entry.additional_data or {}).get("summary", "")
        rows.append(
            (
                entry.action,
                entry.object_repr == certificate.number.number,
                sorted(changes),
                {k: v for k, v in (entry.additional_data or {}).items() if k != "summary"},
                summary.replace(certificate.number.number, "N").replace(
                    certificate.holding.person.name, "P"
                ),
                entry.actor_id,
                entry.serialized_data,
            )
        )
    return rows


def test_a_job_writes_the_audit_log_of_issuing_one_by_one(
    hr_city, nj_unit, pool, held, private_media
):
    """A job's chunk writes its rows and log entries in bulk: the same entries (created,
    finished with its digest and status, the 发放 operation) as issuing one certificate."""
    alone, batched = held(2)
    single = issuing.certificate_issue(actor=hr_city, holding=alone, issuing_unit=nj_unit)
    job = issue_jobs.issue_job_create(actor=hr_city, issuing_unit=nj_unit, holding_ids=[batched.pk])
    issue_jobs.issue_job_run(job.pk)
    from_job = Certificate.objects.get(holding=batched)
    assert from_job.status == CertificateStatus.VALID and from_job.file and from_job.sha256
    assert len(_log_of(single)) == 3
    assert _log_of(from_job) == _log_of(single)

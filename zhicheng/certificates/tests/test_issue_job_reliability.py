"""批量发放证书 job killed mid-batch (PostgreSQL, a real worker process): SIGKILL leaves every
certificate issued completely (PDF stored, number used) or not at all, and running the job
again finishes the rest without a duplicate."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateStatus,
    IssueJob,
    IssueJobStatus,
)
from zhicheng.certificates.services import issue_jobs
from zhicheng.persons.models import Person
from zhicheng.titles.models import TitleHolding

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a real worker process shares PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

COUNT = 60


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_sigkill_mid_job_then_rerun_issues_each_exactly_once(reseeded, hr_city, nj_unit, held):
    from zhicheng.certificates import services

    (template,) = held(1)
    services.certificate_numbers_generate(
        actor=hr_city,
        issuing_unit=nj_unit,
        year=timezone.localdate().year,
        start=1,
        end=COUNT + 10,
    )
    persons = Person.objects.bulk_create(
        Person(id_type="passport", id_number=f"IJ{i:08d}", name=f"批量{i}") for i in range(COUNT)
    )
    holdings = TitleHolding.objects.bulk_create(
        TitleHolding(
            person=person,
            title_id=template.title_id,
            level=template.level,
            specialty_id=template.specialty_id,
            acquisition_method=template.acquisition_method,
            approved_on=template.approved_on,
            approving_organization_id=template.approving_organization_id,
        )
        for person in persons
    )
    job = issue_jobs.issue_job_create(
        actor=hr_city, issuing_unit=nj_unit, holding_ids=[h.pk for h in holdings]
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "issue_job_run", str(job.pk)],
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            # The worker stores the PDFs where this test's media are (MEDIA_ROOT = VAR/media).
            "ZHICHENG_VAR_DIR": str(Path(django_settings.MEDIA_ROOT).parent),
        },
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while Certificate.objects.count() < 25 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    started = Certificate.objects.count()
    assert 0 < started < COUNT, started
    # Every certificate either complete, or 生成中 (its number taken once, no file yet).
    for certificate in Certificate.objects.select_related("number"):
        assert certificate.number.status == "used"
        if certificate.status == CertificateStatus.VALID:
            assert certificate.file and os.path.exists(certificate.file.path)
        else:
            assert certificate.status == CertificateStatus.PENDING and not certificate.file
    assert IssueJob.objects.get(pk=job.pk).status == IssueJobStatus.RUNNING
    # A live lease: not taken over; once it is over (here: at once), the rerun finishes.
    assert issue_jobs.issue_job_run(job.pk) is None
    finished = issue_jobs.issue_job_run(job.pk, lease=dt.timedelta(0))
    assert finished.status == IssueJobStatus.FINISHED
    assert (finished.done, finished.failed, finished.failures) == (COUNT, 0, [])
    assert Certificate.objects.filter(status=CertificateStatus.VALID).count() == COUNT
    assert not Certificate.objects.filter(status=CertificateStatus.PENDING).exists()
    assert CertificateNumber.objects.filter(status="used").count() == COUNT
    numbers = list(Certificate.objects.values_list("number_id", flat=True))
    assert len(set(numbers)) == COUNT
    assert Certificate.objects.filter(holding__in=holdings).count() == COUNT

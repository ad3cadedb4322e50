"""1.18 reliability (PostgreSQL, real worker processes): many certificates reported while the
simulator fails 30 % of calls and times out 10 %, and a worker is killed with SIGKILL twice
mid-run → after restarts every certificate is received exactly once (counted by idempotency
key: duplicates stored = 0) and every row is 已上报."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateStatus,
    NationalReport,
    NationalReportStatus,
)
from zhicheng.certificates.services import national
from zhicheng.certificates.simulator import Faults, NationalSimulator
from zhicheng.persons.models import Person
from zhicheng.titles.models import TitleHolding

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real worker processes share PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

COUNT = int(os.environ.get("ZHICHENG_RELIABILITY_COUNT", "400"))


def _certificates(template: TitleHolding, unit, actor, count: int) -> None:
    """``count`` certificates in bulk (no PDF: delivery reads only the rows)."""
    from zhicheng.certificates import services

    year = timezone.localdate().year
    services.certificate_numbers_generate(
        actor=actor, issuing_unit=unit, year=year, start=1000, end=1000 + count - 1
    )
    persons = Person.objects.bulk_create(
        Person(id_type="passport", id_number=f"RT{i:08d}", name=f"报送{i}") for i in range(count)
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
    numbers = CertificateNumber.objects.filter(issuing_unit=unit, sequence__gte=1000).order_by(
        "sequence"
    )
    Certificate.objects.bulk_create(
        Certificate(
            holding=holding,
            number=number,
            issuing_unit=unit,
            file="certificates/none.pdf",
            sha256="0" * 64,
            status=CertificateStatus.VALID,
            issued_by=actor,
        )
        for holding, number in zip(holdings, numbers, strict=True)
    )


def _worker(url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ZHICHENG_NATIONAL_TIMEOUT": "0.3",
        "ZHICHENG_NATIONAL_BACKOFF_SECONDS": "0.05",
        "ZHICHENG_NATIONAL_BACKOFF_MAX": "0.5",
        "ZHICHENG_NATIONAL_MAX_ATTEMPTS": "1000",
        "ZHICHENG_NATIONAL_LEASE_SECONDS": "3",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "national_deliver", "--loop", "--url", url, "--limit", "5"],
        env=env,
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _delivered() -> int:
    return NationalReport.objects.filter(status=NationalReportStatus.DELIVERED).count()


def test_sigkill_twice_mid_run_every_record_exactly_once(
    reseeded, hr_city, nj_unit, held, tmp_path
):
    (template,) = held(1)
    _certificates(template, nj_unit, hr_city, COUNT)
    outcome = national.certificates_report(actor=hr_city, everything=True)
    assert outcome.reported == COUNT
    store = tmp_path / "np.jsonl"
    sim = NationalSimulator(
        store_path=store, faults=Faults(fail=0.3, timeout=0.1, timeout_seconds=0.6, seed=11)
    ).start()
    workers = [_worker(sim.url), _worker(sim.url)]
    try:
        for kill_at in (COUNT // 4, COUNT // 2):
            deadline = time.monotonic() + 120
            while _delivered() < kill_at and time.monotonic() < deadline:
                time.sleep(0.2)
            victim = workers.pop(0)
            victim.send_signal(signal.SIGKILL)  # mid-claim: rows are left 上报中
            victim.wait(timeout=10)
            workers.append(_worker(sim.url))
        deadline = time.monotonic() + 300
        while _delivered() < COUNT and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=10)
        sim.stop()
    assert _delivered() == COUNT
    keys = [json.loads(line)["key"] for line in store.read_text().splitlines()]
    expected = {
        f"{number}:issue"
        for number in NationalReport.objects.values_list("certificate__number__number", flat=True)
    }
    assert len(keys) == len(set(keys)) == COUNT  # duplicates stored = 0
    assert set(keys) == expected

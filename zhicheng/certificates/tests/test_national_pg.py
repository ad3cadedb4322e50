"""1.18 on PostgreSQL: two 上报 clicks at the same moment write one row per certificate; two
workers claiming at the same moment never take the same row (SKIP LOCKED); delivery from two
workers at once to the simulator stores each record once."""

import pytest
from django.db import connection

from zhicheng.certificates.models import NationalReport, NationalReportStatus
from zhicheng.certificates.services import national
from zhicheng.certificates.simulator import Faults, NationalSimulator
from zhicheng.common.tests.concurrency import run_together

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_clicks_write_one_row(reseeded, hr_city, issued):
    ids = [c.pk for c in issued]
    results = run_together(
        lambda: national.certificates_report(actor=hr_city, certificate_ids=ids),
        lambda: national.certificates_report(actor=hr_city, certificate_ids=ids),
        lambda: national.certificates_report(actor=hr_city, everything=True),
    )
    assert results == ["ok", "ok", "ok"], results
    assert NationalReport.objects.count() == 2
    assert sorted(NationalReport.objects.values_list("certificate_id", flat=True)) == sorted(ids)


def test_concurrent_claims_never_share_a_row(reseeded, hr_city, issued):
    national.certificates_report(actor=hr_city, everything=True)
    claimed: list[list[int]] = []
    results = run_together(
        lambda: claimed.append([r.pk for r in national.national_reports_claim(limit=1)]),
        lambda: claimed.append([r.pk for r in national.national_reports_claim(limit=1)]),
    )
    assert results == ["ok", "ok"], results
    taken = [pk for batch in claimed for pk in batch]
    assert len(taken) == len(set(taken)) == 2


def test_two_workers_deliver_each_record_once(reseeded, hr_city, issued, settings, tmp_path):
    settings.ZHICHENG_NATIONAL_BACKOFF_SECONDS = 0
    settings.ZHICHENG_NATIONAL_TIMEOUT = 0.5
    settings.ZHICHENG_NATIONAL_MAX_ATTEMPTS = 100
    sim = NationalSimulator(store_path=tmp_path / "np.jsonl", faults=Faults(fail=0.3, seed=3))
    sim.start()
    try:
        national.certificates_report(actor=hr_city, everything=True)
        for _ in range(30):
            run_together(
                lambda: national.national_reports_deliver(url=sim.url, seconds=3, limit=1),
                lambda: national.national_reports_deliver(url=sim.url, seconds=3, limit=1),
            )
            if not NationalReport.objects.exclude(status=NationalReportStatus.DELIVERED).exists():
                break
    finally:
        sim.stop()
    assert set(NationalReport.objects.values_list("status", flat=True)) == {"delivered"}
    lines = (tmp_path / "np.jsonl").read_text().splitlines()
    assert len(lines) == 2 and sim.store.stats()["duplicates"] == 0

"""1.18 证书报送人社部: the outbox — exactly once, 撤销 after 发证, backoff, 失败, 重新上报 — and
delivery to the simulator with faults injected."""

import json
import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from zhicheng.certificates.models import NationalReport, NationalReportKind, NationalReportStatus
from zhicheng.certificates.services import issuing, national
from zhicheng.certificates.simulator import Faults, NationalSimulator
from zhicheng.common.errors import ApplicationError

pytestmark = pytest.mark.django_db

S = NationalReportStatus


@pytest.fixture
def simulator(tmp_path):
    started = []

    def start(**faults):
        sim = NationalSimulator(store_path=tmp_path / "np.jsonl", faults=Faults(seed=7, **faults))
        started.append(sim.start())
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def fast(settings):
    settings.ZHICHENG_NATIONAL_BACKOFF_SECONDS = 0
    settings.ZHICHENG_NATIONAL_TIMEOUT = 2
    return settings


def test_report_writes_one_issue_row_per_certificate_with_the_record(hr_city, issued):
    outcome = national.certificates_report(actor=hr_city, certificate_ids=[c.pk for c in issued])
    assert outcome.reported == 2 and not outcome.skipped
    row = NationalReport.objects.get(certificate=issued[0])
    assert (row.kind, row.status, row.attempts, row.payload) == ("issue", S.PENDING, 0, None)
    national.national_reports_claim()  # the record is built at the first claim, then kept
    row.refresh_from_db()
    record = row.payload
    assert record["certificate_number"] == issued[0].number.number
    assert record["name"] == issued[0].holding.person.name
    assert record["id_number"] == issued[0].holding.person.id_number
    assert record["status"] == "valid" and record["kind"] == "issue"
    assert record["issuing_unit_code"] == "32010001" and record["series"]
    for key in ("title", "level", "acquisition_method", "evaluator", "approved_on", "issued_on"):
        assert record[key]
    assert row.idempotency_key == f"{issued[0].number.number}:issue"


def test_a_second_report_of_the_same_certificate_writes_nothing(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    again = national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    assert again.reported == 0 and "已上报" in again.message
    everything = national.certificates_report(actor=hr_city, everything=True)
    assert everything.reported == 1  # only the other one
    assert NationalReport.objects.count() == 2
    assert national.certificates_report(actor=hr_city, everything=True).reported == 0


def test_report_is_scoped(hr_suzhou, hr_city, issued):
    outcome = national.certificates_report(actor=hr_suzhou, certificate_ids=[issued[0].pk])
    assert outcome.reported == 0 and "不在您的管辖范围内" in outcome.message
    assert national.certificates_report(actor=hr_suzhou, everything=True).reported == 0
    assert not NationalReport.objects.exists()
    with pytest.raises(ApplicationError):
        national.certificates_report(actor=hr_city, certificate_ids=[])


def test_revoke_of_a_reported_certificate_waits_for_its_issue_row(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    issuing.certificate_revoke(actor=hr_city, certificate=issued[0], reason="提供虚假材料")
    claimed = national.national_reports_claim()
    assert [r.kind for r in claimed] == ["issue"]  # the revoke row is not due yet
    assert claimed[0].payload["status"] == "valid"
    assert national.national_reports_claim() == []
    national.national_report_settle(claimed[0], national.Attempt(ok=True))
    (revoke,) = national.national_reports_claim()
    assert revoke.kind == "revoke" and revoke.idempotency_key.endswith(":revoke")
    assert revoke.payload["status"] == "revoked" and revoke.payload["revoke_reason"]
    revoke.refresh_from_db()
    assert revoke.payload["revoked_on"]  # stored: a retry sends the same body


def test_report_everything_writes_both_rows_of_a_revoked_certificate(hr_city, issued):
    issuing.certificate_revoke(actor=hr_city, certificate=issued[1], reason="错发")
    outcome = national.certificates_report(actor=hr_city, everything=True)
    assert outcome.reported == 2 and "2 份" in outcome.message
    rows = sorted(NationalReport.objects.values_list("certificate_id", "kind", "created_by"))
    assert rows == [
        (issued[0].pk, "issue", hr_city.pk),
        (issued[1].pk, "issue", hr_city.pk),
        (issued[1].pk, "revoke", hr_city.pk),
    ]


def test_a_revocation_racing_with_report_everything_is_caught_at_the_claim(hr_city, issued):
    """The revocation committed after 全部上报 read the certificate as valid and before it
    wrote the 发证 row: neither wrote the 撤销 row. The first claim writes it."""
    national.certificates_report(actor=hr_city, everything=True)
    # What the revocation's own transaction did, seeing no 发证 row yet.
    type(issued[0]).objects.filter(pk=issued[0].pk).update(
        status="revoked", revoked_at=timezone.now(), revoke_reason="提供虚假材料"
    )
    assert not NationalReport.objects.filter(kind=NationalReportKind.REVOKE).exists()
    claimed = national.national_reports_claim()
    assert sorted(r.kind for r in claimed) == ["issue", "issue"]
    late = NationalReport.objects.get(kind=NationalReportKind.REVOKE)
    assert (late.certificate_id, late.status, late.created_by) == (issued[0].pk, S.PENDING, hr_city)


def test_a_certificate_revoked_before_it_is_reported_gets_both_rows(hr_city, issued):
    issuing.certificate_revoke(actor=hr_city, certificate=issued[1], reason="错发")
    assert not NationalReport.objects.exists()  # not reported: nothing to correct yet
    national.certificates_report(actor=hr_city, certificate_ids=[issued[1].pk])
    assert sorted(NationalReport.objects.values_list("kind", flat=True)) == ["issue", "revoke"]


def test_backoff_doubles_with_jitter_and_is_capped(settings):
    settings.ZHICHENG_NATIONAL_BACKOFF_SECONDS = 10
    settings.ZHICHENG_NATIONAL_BACKOFF_MAX = 100
    rng = random.Random(1)
    for attempts, upper in ((1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)):
        waits = [national.backoff(attempts, rng=rng).total_seconds() for _ in range(50)]
        assert all(upper / 2 <= w <= upper for w in waits)
        assert len(set(waits)) > 1  # jitter


def test_failures_retry_later_then_fail_and_retry_starts_again(hr_city, issued, settings):
    settings.ZHICHENG_NATIONAL_MAX_ATTEMPTS = 3
    settings.ZHICHENG_NATIONAL_BACKOFF_SECONDS = 60
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    row = NationalReport.objects.get()
    for attempt in (1, 2):
        (claimed,) = national.national_reports_claim()
        assert national.national_report_settle(claimed, national.Attempt(False, "HTTP 503")) == (
            "retry_later"
        )
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == (S.PENDING, attempt, "HTTP 503")
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=25)
        assert national.national_reports_claim() == []  # not due yet
        NationalReport.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    (claimed,) = national.national_reports_claim()
    assert national.national_report_settle(claimed, national.Attempt(False, "timeout")) == "fail"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.FAILED, 3)
    assert national.national_report_retry(actor=hr_city, certificate=issued[0]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.PENDING, 0)
    with pytest.raises(ApplicationError, match="没有上报失败"):
        national.national_report_retry(actor=hr_city, certificate=issued[0])


def test_a_permanent_refusal_fails_at_once(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    (claimed,) = national.national_reports_claim()
    attempt = national.Attempt(False, "HTTP 400 bad record", permanent=True)
    assert national.national_report_settle(claimed, attempt) == "fail"


def test_a_claim_whose_worker_died_is_released_after_the_lease(hr_city, issued):
    national.certificates_report(actor=hr_city, certificate_ids=[issued[0].pk])
    (claimed,) = national.national_reports_claim()
    assert national.national_reports_release_stale(lease_seconds=3600) == 0
    assert national.national_reports_release_stale(lease_seconds=-1) == 1
    # The dead worker's late answer is ignored: the row was released.
    assert national.national_report_settle(claimed, national.Attempt(ok=True)) == ""
    assert NationalReport.objects.get().status == S.PENDING


def test_no_target_sends_nothing(hr_city, issued):
    national.certificates_report(actor=hr_city, everything=True)
    assert national.national_reports_deliver(url="").delivered == 0
    assert set(NationalReport.objects.values_list("status", flat=True)) == {S.PENDING}


def test_delivery_to_the_simulator(hr_city, issued, simulator, fast):
    sim = simulator()
    national.certificates_report(actor=hr_city, everything=True)
    outcome = national.national_reports_deliver(url=sim.url)
    assert outcome.delivered == 2
    row = NationalReport.objects.first()
    assert row.status == S.DELIVERED and row.delivered_at and row.attempts == 1
    assert sim.store.records[row.idempotency_key] == row.payload


def test_delivery_with_faults_stores_every_record_exactly_once(
    hr_city, issued, held, simulator, fast, tmp_path
):
    fast.ZHICHENG_NATIONAL_TIMEOUT = 0.3
    fast.ZHICHENG_NATIONAL_MAX_ATTEMPTS = 100
    issuing.certificate_revoke(actor=hr_city, certificate=issued[1], reason="错发")
    sim = simulator(fail=0.3, timeout=0.1, drop=0.1, timeout_seconds=0.6)
    national.certificates_report(actor=hr_city, everything=True)
    expected = set(NationalReport.objects.values_list("certificate__number__number", "kind"))
    assert len(expected) == 3
    for _ in range(200):
        national.national_reports_deliver(url=sim.url, seconds=5)
        if not NationalReport.objects.exclude(status=S.DELIVERED).exists():
            break
    assert set(NationalReport.objects.values_list("status", flat=True)) == {S.DELIVERED}
    lines = [json.loads(line) for line in (tmp_path / "np.jsonl").read_text().splitlines()]
    keys = [line["key"] for line in lines]
    assert len(keys) == len(set(keys)) == 3  # duplicates = 0, by idempotency key
    assert set(keys) == {f"{number}:{kind}" for number, kind in expected}
    # The 撤销 record reached the platform after its 发证 record.
    number = issued[1].number.number
    assert keys.index(f"{number}:issue") < keys.index(f"{number}:revoke")


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_row(hr_city, issued):
    national.certificates_report(actor=hr_city, everything=True)
    with transaction.atomic():
        first = national.national_reports_claim(limit=1)
        # Another worker (here: after the first committed) takes the other one only.
    second = national.national_reports_claim()
    assert len(first) == len(second) == 1 and first[0].pk != second[0].pk

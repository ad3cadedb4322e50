"""Issuing in two short transactions (issue 11): the number is taken and the certificate marked
生成中 in the first, the PDF rendered and signed outside any transaction, stored and marked 有效
in the second. A crash in between leaves a pending certificate that nobody outside the issuing
office sees, and the periodic job finishes it. Issue and revoke write the operation log."""

import datetime as dt
import hashlib

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from zhicheng.certificates import pdf, selectors
from zhicheng.certificates.models import Certificate, CertificateStatus
from zhicheng.certificates.services import issuing
from zhicheng.common.errors import ApplicationError


class Crash(Exception):
    """The process dying between the two transactions."""


@pytest.fixture
def crashed(hr_city, nj_unit, pool, held, monkeypatch):
    """A certificate whose request died after the first transaction (while signing)."""
    (holding,) = held(1)

    def die(*args, **kwargs):
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "sign", die)
        with pytest.raises(Crash):
            issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    return Certificate.objects.select_related("number", "holding__person").get(holding=holding)


def test_a_crash_after_the_first_transaction_leaves_a_pending_certificate(crashed, hr_city):
    assert crashed.status == CertificateStatus.PENDING
    assert crashed.number.status == "used"  # the number stays taken: never given twice
    assert not crashed.file
    holder = crashed.holding.person.user
    # Not issued, for the holder and for 证书核验.
    assert selectors.holder_certificates(user=holder) == []
    assert selectors.certificate_verify(number=crashed.number.number, name="张伟") is None
    assert (
        selectors.certificate_for_application(user=holder, application=crashed.holding.application)
        is None
    )
    client = Client()
    client.force_login(holder)
    url = reverse("certificates:certificate-file", args=[crashed.pk])
    assert client.get(url).status_code == 404
    # The officer sees it 生成中 and cannot issue it again nor revoke it.
    with pytest.raises(ApplicationError, match="正在生成中"):
        issuing.certificate_issue(
            actor=hr_city, holding=crashed.holding, issuing_unit=crashed.issuing_unit
        )
    with pytest.raises(ApplicationError, match="正在生成中"):
        issuing.certificate_revoke(actor=hr_city, certificate=crashed, reason="错")
    assert not LogEntry.objects.filter(additional_data__operation="issue").exists()


def test_the_periodic_job_finishes_a_pending_certificate(crashed):
    # A fresh one may still be rendering in its own request: left alone.
    assert issuing.certificates_finish_pending() == 0
    assert issuing.certificates_finish_pending(older_than=dt.timedelta(0)) == 1
    crashed.refresh_from_db()
    assert crashed.status == CertificateStatus.VALID
    with crashed.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == crashed.sha256
    found = selectors.certificate_verify(number=crashed.number.number, name="张伟")
    assert found.certificate_id == crashed.pk
    assert selectors.holder_certificates(user=crashed.holding.person.user) == [crashed]
    entry = LogEntry.objects.get(additional_data__operation="issue")
    assert entry.additional_data["summary"].startswith(f"发放证书 {crashed.number.number}：张伟的")
    # Nothing left to do: a second run finishes nothing.
    assert issuing.certificates_finish_pending(older_than=dt.timedelta(0)) == 0


def test_the_task_is_scheduled_every_five_minutes():
    from zhicheng.certificates import tasks

    task = tasks.certificates_pending_finish.s()
    validate = task.validate_datetime
    start = dt.datetime(2026, 1, 1, 8, 0)
    assert validate(start) and validate(start + dt.timedelta(minutes=5))
    assert not validate(start + dt.timedelta(minutes=3))


def test_issue_and_revoke_write_the_operation_log_with_names(hr_city, nj_unit, pool, held):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    number = certificate.number.number
    issued = LogEntry.objects.get(additional_data__operation="issue", object_pk=str(certificate.pk))
    assert issued.additional_data["label"] == "发放"
    assert issued.additional_data["summary"] == (
        f"发放证书 {number}：张伟的{holding.title.name}（发证单位 {nj_unit.organization.name}）"
    )
    assert issued.actor == hr_city
    issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="材料造假")
    revoked = LogEntry.objects.get(
        additional_data__operation="revoke", object_pk=str(certificate.pk)
    )
    assert revoked.additional_data["summary"] == (
        f"撤销证书 {number}：张伟的{holding.title.name}，撤销原因：材料造假"
    )

"""证书核验's own table (``models_verification``): written when a certificate is issued, kept in
step by revocation and reissue, holding the face printed on the certificate and never the whole
证件号码."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from zhicheng.certificates import selectors
from zhicheng.certificates.models import Certificate, VerificationRecord
from zhicheng.certificates.services import issuing, reissue
from zhicheng.persons.models import Person


def _record(certificate) -> VerificationRecord:
    return VerificationRecord.objects.get(certificate=certificate)


def test_issuing_writes_the_face_with_the_id_number_masked(issued):
    certificate = issued[0]
    person = certificate.holding.person
    record = _record(certificate)
    assert record.number == certificate.number.number
    assert record.holder_name == person.name == "张伟"
    assert record.masked_id_number == person.masked_id_number
    assert (record.certificate_status, record.copy) == ("valid", 1)
    assert record.title == certificate.holding.title.name and record.level == "assistant"
    assert record.issuing_unit == certificate.issuing_unit.organization.name
    assert record.issued_at == certificate.issued_at
    stored = [str(value) for row in VerificationRecord.objects.values_list() for value in row]
    assert not any(person.id_number in value for value in stored)


def test_a_batch_writes_one_record_per_certificate(hr_city, nj_unit, pool, held):
    holdings = held(3)
    outcome = issuing.certificates_issue(
        actor=hr_city, holding_ids=[h.pk for h in holdings], issuing_unit=nj_unit
    )
    assert len(outcome.issued) == 3
    assert set(VerificationRecord.objects.values_list("certificate_id", flat=True)) == {
        c.pk for c in outcome.issued
    }


def test_revoking_and_reissuing_change_what_verification_reads(issued, hr_city):
    revoked, kept = issued
    issuing.certificate_revoke(actor=hr_city, certificate=revoked, reason="提供虚假材料")
    assert _record(revoked).certificate_status == "revoked"
    found = selectors.certificate_verify(number=revoked.number.number, name="张伟")
    assert found.status == "revoked"

    holder = kept.holding.person.user
    request = reissue.reissue_request(actor=holder, certificate=kept, reason="证书遗失")
    reissue.reissue_approve(actor=hr_city, reissue=request)
    assert (_record(kept).certificate_status, _record(kept).copy) == ("valid", 2)
    name = kept.holding.person.name
    assert selectors.certificate_verify(number=kept.number.number, name=name).copy == 2


def test_the_name_printed_on_the_certificate_keeps_verifying(issued, hr_city):
    certificate = issued[0]
    Person.objects.filter(pk=certificate.holding.person_id).update(name="张卫")
    issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="提供虚假材料")
    number = certificate.number.number
    assert selectors.certificate_verify(number=number, name="张伟").status == "revoked"
    assert selectors.certificate_verify(number=number, name="张卫") is None


def test_the_migration_fills_the_certificates_issued_before_it(issued):
    expected = list(VerificationRecord.objects.order_by("pk").values_list())
    VerificationRecord.objects.all().delete()
    migration = importlib.import_module("zhicheng.certificates.migrations.0013_verification_record")
    migration.fill(apps, SimpleNamespace(connection=connection))  # all it reads of the editor
    assert list(VerificationRecord.objects.order_by("pk").values_list()) == expected
    assert len(expected) == Certificate.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plan: PostgreSQL")
def test_verification_reads_one_table_by_its_number_index(issued):
    sql, params = selectors._verify_sql("default")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", ["32010001", "张伟", *params[2:]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "verification_record_number" in plan and "Join" not in plan and "Loop" not in plan

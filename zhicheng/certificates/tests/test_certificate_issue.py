"""1.17 证书发放 through the services: a signed PDF numbered from the unit's pool, checked by
independent tools (pdfsig, qpdf); refusals change nothing; two officers never share a number."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.blacklist.services import blacklist_entry_create
from zhicheng.certificates import selectors
from zhicheng.certificates.models import Certificate, CertificateNumber, CertificateNumberStatus
from zhicheng.certificates.services import issuing
from zhicheng.common.errors import ApplicationError
from zhicheng.common.tests.concurrency import run_together

YEAR = timezone.localdate().year


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_a_certificate_is_a_signed_pdf_with_the_next_number(hr_city, nj_unit, pool, held):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    assert certificate.number.number == f"32010001{YEAR}000001"
    assert certificate.number.status == "used"
    path = certificate.file.path
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    signature = subprocess.run([_tool("pdfsig"), path], capture_output=True, text=True)
    assert "Signature is Valid." in signature.stdout, signature.stdout
    assert "Total document signed" in signature.stdout
    check = subprocess.run([_tool("qpdf"), "--check", path], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
    text = subprocess.run([_tool("pdftotext"), path, "-"], capture_output=True, text=True).stdout
    assert "张伟" in text and "助理工程师" in text and certificate.number.number in text
    fonts = subprocess.run([_tool("pdffonts"), path], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts and " yes yes " in fonts  # the CJK font embedded and subset


def test_a_holding_gets_one_certificate_and_the_pool_must_not_be_empty(
    hr_city, nj_unit, pool, held
):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    with pytest.raises(ApplicationError, match="已发放证书（32010001"):
        issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    CertificateNumber.objects.filter(status="available").update(status="used")
    with pytest.raises(ApplicationError, match="证书编号已用完，请先生成证书编号"):
        issuing.certificate_issue(actor=hr_city, holding=second, issuing_unit=nj_unit)
    assert Certificate.objects.count() == 1


def test_a_blacklisted_person_gets_no_certificate(hr_city, hr_province, nj_unit, pool, held):
    (holding,) = held(1)
    blacklist_entry_create(
        actor=hr_province,
        person=holding.person,
        reason="false_materials",
        document_number="苏人社〔2026〕1号",
        start_date=timezone.localdate(),
    )
    with pytest.raises(ApplicationError, match="在黑名单中，不能发放证书"):
        issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    assert not Certificate.objects.exists()
    assert not CertificateNumber.objects.filter(status="used").exists()


def test_out_of_scope_and_without_permission_is_refused(
    hr_city, hr_suzhou, applicant, nj_unit, sz_unit, pool, held
):
    (holding,) = held(1)
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        issuing.certificate_issue(actor=hr_suzhou, holding=holding, issuing_unit=sz_unit)
    with pytest.raises(ApplicationError, match="发证单位不存在或不在您的管辖范围内"):
        issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=sz_unit)
    with pytest.raises(ApplicationError):
        issuing.certificate_issue(actor=applicant, holding=holding, issuing_unit=nj_unit)
    assert not Certificate.objects.exists()


def test_a_batch_issues_each_and_says_why_one_was_refused(hr_city, nj_unit, pool, held):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    outcome = issuing.certificates_issue(
        actor=hr_city, holding_ids=[first.pk, second.pk], issuing_unit=nj_unit
    )
    assert [c.holding_id for c in outcome.issued] == [second.pk]
    assert "已发放证书 1 份，1 条未发放" in outcome.message
    with pytest.raises(ApplicationError, match="请勾选"):
        issuing.certificates_issue(actor=hr_city, holding_ids=[], issuing_unit=nj_unit)


def test_verification_needs_the_number_and_the_name(hr_city, nj_unit, pool, held):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    number = certificate.number.number
    found = selectors.certificate_verify(number=number, name="张伟")
    assert found.certificate_id == certificate.pk and found.status == "valid"
    assert found.title == holding.title.name and found.level_display == "助理级"
    assert found.masked_id_number == holding.person.masked_id_number != holding.person.id_number
    assert found.issued_at == certificate.issued_at and found.copy == 1
    assert selectors.certificate_verify(number=number, name="李四") is None
    assert selectors.certificate_verify(number="", name="张伟") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_verification_is_a_prepared_statement_that_still_answers_each_query(
    hr_city, nj_unit, pool, held
):
    first, second = held(2)
    a = issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    b = issuing.certificate_issue(actor=hr_city, holding=second, issuing_unit=nj_unit)
    verify = selectors.certificate_verify
    a_number, b_number, b_name = a.number.number, b.number.number, second.person.name
    for _ in range(4):  # past the prepare threshold, then PostgreSQL's generic plan
        assert verify(number=a_number, name="张伟").certificate_id == a.pk
        assert verify(number=b_number, name=b_name).certificate_id == b.pk
        assert verify(number=a_number, name=b_name) is None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND generic_plans + custom_plans > 0",
            ['%"certificates_verificationrecord"%'],
        )
        assert cursor.fetchone()[0] == 1


def test_the_issue_list_filters_issued_or_not(hr_city, hr_suzhou, nj_unit, pool, held):
    first, second = held(2)
    issuing.certificate_issue(actor=hr_city, holding=first, issuing_unit=nj_unit)
    assert list(selectors.holding_issue_list(user=hr_city, issued="0")) == [second]
    assert list(selectors.holding_issue_list(user=hr_city, issued="1")) == [first]
    assert selectors.holding_issue_list(user=hr_suzhou).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_never_share_a_number(
    reseeded, hr_city, nj_unit, pool, held, make_user, orgs
):
    first, second = held(2)
    colleague = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_hr_nj_colleague")
    results = run_together(
        lambda: issuing.certificate_issue(actor=hr_city, holding=first.pk, issuing_unit=nj_unit),
        lambda: issuing.certificate_issue(actor=colleague, holding=second.pk, issuing_unit=nj_unit),
    )
    assert results == ["ok", "ok"], results
    numbers = list(Certificate.objects.values_list("number__number", flat=True))
    assert sorted(numbers) == [f"32010001{YEAR}000001", f"32010001{YEAR}000002"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_issue_requests_for_the_same_title_issue_one_certificate(
    reseeded, hr_city, nj_unit, pool, held, make_user, orgs
):
    """A double submit that reached the server twice: one certificate, one clear refusal, and
    the second request used no number."""
    (holding,) = held(1)
    colleague = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_hr_nj_twin")
    results = run_together(
        lambda: issuing.certificate_issue(actor=hr_city, holding=holding.pk, issuing_unit=nj_unit),
        lambda: issuing.certificate_issue(
            actor=colleague, holding=holding.pk, issuing_unit=nj_unit
        ),
    )
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok", results
    refusal = [r for r in results if r != "ok"][0]
    # The loser came either while the winner's certificate was 生成中 or after it was stored.
    assert "已发放证书" in refusal or "正在生成中" in refusal, results
    assert Certificate.objects.filter(holding=holding).count() == 1
    assert CertificateNumber.objects.filter(status=CertificateNumberStatus.USED).count() == 1


def test_signing_works_inside_a_running_event_loop():
    """pyHanko's synchronous call is asyncio.run: it must still sign where a loop runs (an ASGI
    server, Playwright's thread)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from zhicheng.certificates import pdf

    text = pdf.CertificateText(*(["测试"] * 11))

    async def inside_a_loop() -> bytes:
        return pdf.sign(pdf.render(text), location="南京")

    # In a thread of its own: this test's loop must not meet one a browser test left running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(lambda: asyncio.run(inside_a_loop())).result()
    assert signed.startswith(b"%PDF-") and b"/ByteRange" in signed

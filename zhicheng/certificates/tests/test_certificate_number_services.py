"""1.16 证书编号生成 through the services: a range of numbers for an issuing unit's year, all or
none; a number is never generated twice, even by two officers at once."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.certificates import selectors, services
from zhicheng.certificates.models import (
    NUMBERS_PER_GENERATION_MAX,
    CertificateNumber,
    CertificateNumberBatch,
    CertificateNumberStatus,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.common.tests.concurrency import run_together

YEAR = timezone.localdate().year


def generate(actor, unit, start, end, year=YEAR):
    return services.certificate_numbers_generate(
        actor=actor, issuing_unit=unit, year=year, start=start, end=end
    )


def test_a_range_becomes_unused_numbers_of_the_unit_and_year(hr_city, nj_unit):
    batch = generate(hr_city, nj_unit, 1, 250)
    assert (batch.count, batch.created_by) == (250, hr_city)
    numbers = CertificateNumber.objects.filter(batch=batch).order_by("number")
    assert numbers.count() == 250
    assert [n.number for n in numbers[:2]] == [f"32010001{YEAR}000001", f"32010001{YEAR}000002"]
    assert numbers.last().number == f"32010001{YEAR}000250"
    assert {n.status for n in numbers} == {CertificateNumberStatus.AVAILABLE}
    assert (batch.first_number, batch.last_number) == (
        f"32010001{YEAR}000001",
        f"32010001{YEAR}000250",
    )
    # The generation is in the operation log (the numbers are made in bulk, without one each).
    assert LogEntry.objects.get_for_object(batch).count() == 1


def test_a_range_spanning_several_slices_is_whole(hr_city, nj_unit):
    batch = generate(hr_city, nj_unit, 999_000 - services.BULK_SIZE, 999_000)
    assert CertificateNumber.objects.filter(batch=batch).count() == services.BULK_SIZE + 1


def test_an_overlapping_range_is_refused_naming_the_numbers_taken(hr_city, nj_unit):
    generate(hr_city, nj_unit, 100, 199)
    with pytest.raises(ApplicationError) as refused:
        generate(hr_city, nj_unit, 150, 300)
    assert "已有 50 个证书编号生成过" in refused.value.message
    assert f"32010001{YEAR}000150–32010001{YEAR}000199" in refused.value.message
    assert CertificateNumber.objects.count() == 100
    assert CertificateNumberBatch.objects.count() == 1
    # The same sequence in another year, or for another unit, is a different number.
    generate(hr_city, nj_unit, 150, 300, year=YEAR - 1)
    assert CertificateNumber.objects.count() == 100 + 151


@pytest.mark.parametrize(
    ("year", "start", "end", "message"),
    [
        (YEAR, 10, 9, "开始序号不能大于结束序号"),
        (YEAR, 0, 9, "序号应在 1–999999 之间"),
        (YEAR, 1, 1_000_000, "序号应在 1–999999 之间"),
        (YEAR, 1, NUMBERS_PER_GENERATION_MAX + 1, "一次最多生成 100,000 个"),
        (YEAR, None, 9, "请填写开始序号和结束序号"),
        (1999, 1, 9, "年度应在 2000–"),
        (YEAR + 2, 1, 9, "年度应在 2000–"),
        (None, 1, 9, "年度应在 2000–"),
    ],
)
def test_a_bad_range_is_refused_and_nothing_is_generated(
    hr_city, nj_unit, year, start, end, message
):
    with pytest.raises(ApplicationError, match=message):
        generate(hr_city, nj_unit, start, end, year=year)
    assert not CertificateNumber.objects.exists()
    assert not CertificateNumberBatch.objects.exists()


def test_a_unit_out_of_scope_or_deregistered_cannot_be_chosen(hr_city, nj_unit, sz_unit):
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        generate(hr_city, sz_unit, 1, 10)
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    with pytest.raises(ApplicationError, match="已注销，不能选择"):
        generate(hr_city, nj_unit, 1, 10)
    assert not CertificateNumber.objects.exists()


def test_only_hr_officers_generate(applicant, nj_unit):
    with pytest.raises(ApplicationError):
        generate(applicant, nj_unit, 1, 10)
    assert not CertificateNumber.objects.exists()


def test_a_unit_whose_code_numbers_certificates_keeps_its_code(hr_city, nj_unit):
    generate(hr_city, nj_unit, 1, 5)
    with pytest.raises(ApplicationError, match="已被使用（.*证书编号 5 条"):
        services.issuing_unit_update(actor=hr_city, issuing_unit=nj_unit, code="32010002")


def test_the_pool_query_is_scoped_and_filtered(hr_city, hr_suzhou, hr_province, nj_unit, sz_unit):
    generate(hr_city, nj_unit, 1, 30)
    generate(hr_suzhou, sz_unit, 1, 20)
    generate(hr_suzhou, sz_unit, 1, 5, year=YEAR - 1)
    assert selectors.certificate_number_list(user=hr_city).count() == 30
    assert selectors.certificate_number_list(user=hr_province).count() == 55
    assert selectors.certificate_number_list(user=hr_province, name="苏州").count() == 25
    assert selectors.certificate_number_list(user=hr_province, year=YEAR - 1).count() == 5
    prefix = f"32010001{YEAR}00001"
    found = selectors.certificate_number_list(user=hr_province, number=prefix)
    assert [n.number[-2:] for n in found] == [str(i) for i in range(10, 20)]
    CertificateNumber.objects.filter(number=f"{prefix}0").update(status="used")
    assert (
        selectors.certificate_number_list(
            user=hr_city, issuing_unit_id=nj_unit.pk, status="available"
        ).count()
        == 29
    )
    assert selectors.certificate_number_list(user=hr_city, issuing_unit_id=sz_unit.pk).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_officers_generating_overlapping_ranges_at_once_share_no_number(
    reseeded, orgs, make_user
):
    first = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_hr_nj_1")
    second = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_hr_nj_2")
    unit = services.issuing_unit_create(actor=first, organization=orgs["city_nj"], code="32010001")
    results = run_together(
        lambda: generate(first, unit, 1, 3000), lambda: generate(second, unit, 2000, 5000)
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "证书编号生成过" in next(r for r in results if r != "ok")
    numbers = CertificateNumber.objects.filter(issuing_unit=unit)
    assert numbers.count() in (3000, 3001)
    assert numbers.values("number").distinct().count() == numbers.count()

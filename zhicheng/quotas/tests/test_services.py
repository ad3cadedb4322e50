"""1.22 职数申报 through the services: an employer declares for itself, once a year, asking no more
posts than are vacant; HR bureaus query their subtree."""

import pytest
from auditlog.models import LogEntry

from zhicheng.common.errors import ApplicationError
from zhicheng.quotas import selectors, services
from zhicheng.quotas.models import QuotaDeclaration
from zhicheng.quotas.tests.conftest import CONTACT, COUNTS


def test_an_employer_declares_for_its_own_organization(unit_a_officer, orgs, declared):
    assert declared.organization == orgs["unit_a"]
    assert declared.declared_by == unit_a_officer
    assert (declared.vacant("senior"), declared.vacant("intermediate")) == (3, 0)
    assert str(declared) == "南京江宁智能装备有限公司 2025年度职数申报"
    assert LogEntry.objects.get_for_object(declared).count() == 1


def test_one_declaration_a_year(unit_a_officer, declared):
    with pytest.raises(ApplicationError, match="本单位 2025 年度已有职数申报"):
        services.quota_declaration_create(actor=unit_a_officer, year=2025, **COUNTS, **CONTACT)
    services.quota_declaration_create(actor=unit_a_officer, year=2026, **COUNTS, **CONTACT)
    assert QuotaDeclaration.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"senior_requested": 4}, r"高级申报职数（4）超过空岗数（3 = 核定岗位数 10 − 已聘人数 7）"),
        ({"intermediate_requested": 1}, "中级申报职数（1）超过空岗数（0"),
        ({"senior_filled": 11}, "高级已聘人数（11）不能超过高级核定岗位数（10）"),
        ({"senior_approved": -1}, "高级核定岗位数应为 0–99999 的整数"),
        ({"intermediate_approved": 100_000}, "中级核定岗位数应为 0–99999 的整数"),
        ({"contact_name": "  "}, "请填写联系人"),
        ({"contact_phone": "电话"}, "联系电话应为"),
        ({"year": 1999}, "年度应在 2000–"),
    ],
)
def test_a_bad_declaration_is_refused_and_nothing_is_saved(unit_a_officer, changes, message):
    data = {"year": 2025, **COUNTS, **CONTACT, **changes}
    with pytest.raises(ApplicationError, match=message):
        services.quota_declaration_create(actor=unit_a_officer, **data)
    assert not QuotaDeclaration.objects.exists()


def test_only_employer_officers_declare(hr_city, applicant):
    for actor in (hr_city, applicant):
        with pytest.raises(ApplicationError):
            services.quota_declaration_create(actor=actor, year=2025, **COUNTS, **CONTACT)
    assert not QuotaDeclaration.objects.exists()


def test_the_declaring_employer_corrects_it_and_nobody_else(
    unit_a_officer, unit_f_officer, hr_city, declared
):
    updated = services.quota_declaration_update(
        actor=unit_a_officer, declaration=declared, senior_filled=8, senior_requested=2
    )
    assert (updated.senior_filled, updated.senior_requested, updated.year) == (8, 2, 2025)
    with pytest.raises(ApplicationError, match="超过空岗数"):
        services.quota_declaration_update(
            actor=unit_a_officer, declaration=declared, senior_requested=3
        )
    with pytest.raises(ApplicationError, match="不是本单位的申报"):
        services.quota_declaration_update(
            actor=unit_f_officer, declaration=declared, senior_requested=0
        )
    with pytest.raises(ApplicationError):
        services.quota_declaration_update(actor=hr_city, declaration=declared, senior_requested=0)
    declared.refresh_from_db()
    assert declared.senior_requested == 2


def test_the_query_is_scoped_and_filtered(
    hr_city, hr_province, unit_a_officer, unit_f_officer, declared
):
    services.quota_declaration_create(actor=unit_f_officer, year=2025, **COUNTS, **CONTACT)
    services.quota_declaration_create(actor=unit_f_officer, year=2026, **COUNTS, **CONTACT)
    assert selectors.quota_declaration_list(user=hr_province).count() == 3
    assert list(selectors.quota_declaration_list(user=hr_city)) == [declared]
    assert selectors.quota_declaration_list(user=unit_a_officer).count() == 1
    assert selectors.quota_declaration_list(user=hr_province, name="苏州").count() == 2
    assert selectors.quota_declaration_list(user=hr_province, year=2026).count() == 1
    years = [d.year for d in selectors.quota_declaration_list(user=hr_province)]
    assert years == [2026, 2025, 2025]

"""Catalog fixtures: the standard data comes from the data migration; officers' rows are made
through the real services."""

import datetime as dt

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.catalog import services
from zhicheng.catalog.models import Specialty, TitleSeries


@pytest.fixture
def mech(db):
    """0802 机械工程 (standard, under 08 工学)."""
    return Specialty.objects.get(code="0802")


@pytest.fixture
def engineering(db):
    return TitleSeries.objects.get(code="engineering")


@pytest.fixture
def hr_suzhou(orgs, make_user):
    return make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_hr_suzhou")


@pytest.fixture
def employer_officer(orgs, make_user):
    return make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a")


@pytest.fixture
def city_specialty(hr_city, mech):
    """A specialty the Nanjing city bureau added under 机械工程."""
    return services.specialty_create(
        actor=hr_city, parent=mech, code="080299", name="智能制造装备（南京）"
    )


@pytest.fixture
def make_committee(orgs, make_user, engineering):
    """A committee row using the given specialties (enough to make them "used")."""
    from zhicheng.committees.models import Committee, CommitteeSpecialty

    def make(*specialties):
        account = make_user(orgs["organizer_eng"], Role.COMMITTEE)
        committee = Committee.objects.create(
            name="测试工程高评会",
            level="senior",
            series=engineering,
            account=account,
            organization=orgs["province"],
            approval_number="苏职称〔2026〕1号",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2028, 12, 31),
        )
        for specialty in specialties:
            CommitteeSpecialty.objects.create(committee=committee, specialty=specialty)
        return committee

    return make


@pytest.fixture
def make_application(orgs):
    """make_application(title, specialty): an applicant registers and saves a draft 职称申报
    through the real services — a row that points at the title and the specialty with hidden
    foreign keys (``related_name="+"``)."""
    from zhicheng.applications.services import application_create
    from zhicheng.catalog.models import AcquisitionMethod
    from zhicheng.persons.services import applicant_register
    from zhicheng.persons.tests.factories import id_number

    def make(title, specialty):
        person = applicant_register(
            name="王申报", id_number=id_number(), mobile="13900000001", password="Test@2026x"
        )
        return application_create(
            actor=person.user,
            acquisition_method=AcquisitionMethod.INITIAL,
            title=title,
            specialty=specialty,
            employer=orgs["unit_a"],
        )

    return make

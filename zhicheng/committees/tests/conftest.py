"""Fixtures for committee tests: a series, specialties and committees made by the real services."""

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees import services
from zhicheng.committees.models import CommitteeLevel


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 makes every user_create slow; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def series_eng(db):
    series, _ = TitleSeries.objects.get_or_create(code="engineering", defaults={"name": "工程"})
    return series


def _specialty(code: str, name: str, parent: Specialty | None = None) -> Specialty:
    existing = Specialty.objects.filter(code=code).first()
    if existing:
        return existing
    node = Specialty(code=code, name=name)
    if parent is None:
        return Specialty.objects.add_root(instance=node)
    return Specialty.objects.add_child(Specialty.objects.get(pk=parent.pk), instance=node)


@pytest.fixture
def specialties(db):
    """A 栏目大类 with two specialties under it."""
    category = _specialty("T08", "工学类（测试）")
    return {
        "category": category,
        "mech": _specialty("T0802", "机械工程（测试）", category),
        "elec": _specialty("T0808", "电气工程（测试）", category),
    }


@pytest.fixture
def make_committee(series_eng, today):
    counter = {"n": 0}

    def make(actor, **overrides):
        counter["n"] += 1
        n = counter["n"]
        kwargs = {
            "name": f"测试工程技术高级评审委员会{n}",
            "level": CommitteeLevel.SENIOR,
            "series": series_eng,
            "account_username": f"pwh_{n}",
            "approval_number": f"苏人社职〔2026〕{n}号",
            "valid_from": today - dt.timedelta(days=30),
            "valid_until": today + dt.timedelta(days=365),
        }
        kwargs.update(overrides)
        committee, _password = services.committee_create(actor=actor, **kwargs)
        return committee

    return make


@pytest.fixture
def province_committee(hr_province, make_committee):
    return make_committee(hr_province, name="省工程高评会", account_username="pwh_province")


@pytest.fixture
def city_committee(hr_city, make_committee):
    return make_committee(
        hr_city,
        name="南京市工程中评会",
        level=CommitteeLevel.INTERMEDIATE,
        account_username="pwh_nj",
    )


@pytest.fixture
def hr_suzhou(orgs, make_user):
    return make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_hr_suzhou")


@pytest.fixture
def plan_reviewer(orgs, make_user):
    return make_user(orgs["province"], Role.PLAN_REVIEWER, username="t_plan_reviewer")


@pytest.fixture
def employer_officer(orgs, make_user):
    return make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a")

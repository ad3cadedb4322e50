import pytest

from zhicheng.accounts.roles import Role
from zhicheng.certificates import services


@pytest.fixture
def hr_suzhou(orgs, make_user):
    return make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_hr_suzhou")


@pytest.fixture
def nj_unit(hr_city, orgs):
    """The Nanjing city bureau's issuing unit 32010001."""
    return services.issuing_unit_create(
        actor=hr_city, organization=orgs["city_nj"], code="32010001"
    )


@pytest.fixture
def sz_unit(hr_suzhou, orgs):
    return services.issuing_unit_create(
        actor=hr_suzhou, organization=orgs["city_sz"], code="32050001"
    )

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


# --- 1.17: titles held, from the applications tests' world ------------------------------------
from zhicheng.applications.tests.conftest import (  # noqa: E402,F401  (fixtures)
    climb,
    draft,
    make_applicant,
    private_media,
    submitted,
    world,
)

INITIAL_LEVELS = ("unit_a", "dept_jn_it", "county_jn", "city_nj")


@pytest.fixture
def held(submitted, climb, make_applicant, world):  # noqa: F811
    """held(n): n 取得职称 (初定 助理工程师, approved by the Nanjing city bureau)."""

    def make(n: int = 1):
        holdings = []
        for index in range(n):
            user = world.applicant if index == 0 else make_applicant(f"持证{index}").user
            app = climb(submitted("initial", user=user), *INITIAL_LEVELS)
            holdings.append(app.title_holding)
        return holdings

    return make


@pytest.fixture
def pool(hr_city, nj_unit):
    """This year's numbers 1–20 of the Nanjing unit."""
    from django.utils import timezone

    return services.certificate_numbers_generate(
        actor=hr_city, issuing_unit=nj_unit, year=timezone.localdate().year, start=1, end=20
    )


@pytest.fixture
def issued(hr_city, nj_unit, pool, held):
    """Two certificates of the Nanjing unit: the world's applicant's (张伟) and 持证1's."""
    from zhicheng.certificates.services import issuing

    return [
        issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
        for holding in held(2)
    ]


@pytest.fixture
def huey_immediate():
    """Huey tasks run in the caller (after the commit that queued them): a 批量发放证书 job
    posted from a page is over when its page opens."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = previous

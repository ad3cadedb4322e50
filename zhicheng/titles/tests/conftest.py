import pytest

# The applications tests' world: routes, officers at each level, an applicant.
from zhicheng.applications.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    draft,
    make_applicant,
    private_media,
    submitted,
    world,
)

INITIAL_LEVELS = ("unit_a", "dept_jn_it", "county_jn", "city_nj")


@pytest.fixture
def approved(submitted, climb):  # noqa: F811
    """approved(**overrides): a 初定 application approved at the top (Nanjing city bureau), so
    holding a title."""

    def make(**overrides):
        return climb(submitted("initial", **overrides), *INITIAL_LEVELS)

    return make


@pytest.fixture
def revoker(world):  # noqa: F811
    """The Nanjing city officer, given ``titles.revoke_titleholding`` (no role holds it yet)."""
    from django.contrib.auth.models import Permission

    officer = world.officers["city_nj"]
    officer.user_permissions.add(Permission.objects.get(codename="revoke_titleholding"))
    return type(officer).objects.get(pk=officer.pk)

"""The applications tests' world (route, committee, committee account, applicant) and a few
applicants qualified for its committee's evaluation; plan reviewers of both kinds."""
# ruff: noqa: F811 — the fixtures imported from the applications tests are requested by name.

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.applications.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    draft,
    make_applicant,
    private_media,
    submitted,
    world,
)
from zhicheng.plans import services

LEVELS = ("unit_a", "dept_jn_it", "county_jn", "city_nj", "province", "committee")


@pytest.fixture
def qualified(world, submitted, climb, make_applicant):
    """qualified(n): n applicants (张伟 first) approved up to the committee: 参评资格."""

    def make(n: int = 1):
        apps = []
        for index in range(n):
            user = world.applicant if index == 0 else make_applicant(f"参评{index}").user
            apps.append(climb(submitted("evaluation", user=user), *LEVELS))
        return apps

    return make


@pytest.fixture
def reviewer(orgs, make_user):
    return make_user(orgs["province"], Role.PLAN_REVIEWER, username="t_plan_reviewer")


@pytest.fixture
def special_reviewer(orgs, make_user):
    return make_user(orgs["province"], Role.PLAN_REVIEWER_SPECIAL, username="t_plan_special")


@pytest.fixture
def committee_user(world):
    return world.committee_account


@pytest.fixture
def plan(committee_user):
    """A draft 正常 plan of the world's committee."""
    return services.plan_create(
        actor=committee_user, name="2026年度工程系列高级评审方案", year=2026
    )


@pytest.fixture
def complete_plan(plan, committee_user, qualified):
    """The plan with a participant, an expert requirement and scoring rules adding up to 100."""
    from zhicheng.applications.tests.conftest import specialty

    services.plan_participants_add(
        actor=committee_user, plan=plan, application_ids=[qualified(1)[0].pk]
    )
    services.expert_requirement_add(
        actor=committee_user, plan=plan, specialty=specialty("080201"), level="senior_full", count=7
    )
    services.scoring_item_add(actor=committee_user, plan=plan, name="业绩成果", max_score=60)
    services.scoring_item_add(actor=committee_user, plan=plan, name="答辩", max_score=40)
    plan.refresh_from_db()
    return plan

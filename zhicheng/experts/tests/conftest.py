"""The plans tests' world (committee, its account, qualified applicants, reviewers) plus an
approved plan and a helper filling the committee's pool."""
# ruff: noqa: F811 — the fixtures imported from the plans tests are requested by name.

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.applications.tests.conftest import specialty
from zhicheng.catalog.models import TitleSeries
from zhicheng.experts import services
from zhicheng.experts.models import ExpertLevel
from zhicheng.persons.tests.factories import id_number
from zhicheng.plans import services as plan_services
from zhicheng.plans.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    committee_user,
    complete_plan,
    draft,
    make_applicant,
    plan,
    private_media,
    qualified,
    reviewer,
    submitted,
    world,
)


@pytest.fixture
def approved_plan(complete_plan, committee_user, reviewer):
    """The complete plan (one participant, 张伟 of unit_a; 7 正高级 experts of 080201 needed),
    submitted and approved."""
    plan_services.plan_submit(actor=committee_user, plan=complete_plan)
    plan_services.plan_review(actor=reviewer, plan=complete_plan, approved=True)
    complete_plan.refresh_from_db()
    return complete_plan


@pytest.fixture
def fill_pool(world):
    """fill_pool(n, employer="unit_b", level=正高级, code="080201"): n experts in the world
    committee's pool, added by the province HR officer."""
    counter = {"n": 0}

    def make(n: int, *, employer: str = "unit_b", level: str = ExpertLevel.FULL, code="080201",
             committee=None, actor=None, **overrides):  # fmt: skip
        today = timezone.localdate()
        experts = []
        for _ in range(n):
            counter["n"] += 1
            fields = {
                "committee": committee or world.committee,
                "id_number": id_number(region="320106", seq=f"{500 + counter['n']:03d}"),
                "name": f"专家{counter['n']:02d}",
                "series": TitleSeries.objects.get(code="engineering"),
                "specialty": specialty(code),
                "level": level,
                "employer": world.orgs[employer],
                "term_start": today - dt.timedelta(days=10),
                "term_end": today + dt.timedelta(days=700),
                **overrides,
            }
            added = services.expert_add(actor=actor or world.officers["province"], **fields)
            experts.append(added.expert)
        return experts

    return make

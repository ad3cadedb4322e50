"""The experts tests' world plus a meeting world: an approved plan of ``n`` participants (张伟
first, all of unit_a, 高级工程师 = 副高级), 3 正高级 experts of 080201 needed (6 drawn: 3
members, 3 alternates, all of unit_b), scoring rules 业绩成果 60 + 答辩 40."""
# ruff: noqa: F811 — the fixtures imported from the experts tests are requested by name.

from dataclasses import dataclass

import pytest

from zhicheng.accounts.models import User
from zhicheng.applications.tests.conftest import specialty
from zhicheng.experts import services as expert_services
from zhicheng.experts.models import PanelRole
from zhicheng.experts.tests.conftest import (  # noqa: F401  (fixtures)
    approved_plan,
    climb,
    committee_user,
    complete_plan,
    draft,
    fill_pool,
    make_applicant,
    plan,
    private_media,
    qualified,
    reviewer,
    submitted,
    world,
)
from zhicheng.meetings import services
from zhicheng.plans import services as plan_services


@dataclass
class MeetingWorld:
    plan: object
    participants: list
    members: list  # Expert, in draw order
    alternates: list
    items: list
    committee: object

    def account(self, expert):
        return expert.account


@pytest.fixture
def meeting_world(world, committee_user, reviewer, qualified, fill_pool):
    """meeting_world(n=1, open=True, seated=True): see the module docstring."""

    def make(n: int = 1, *, open: bool = True, seated: bool = True) -> MeetingWorld:
        plan = plan_services.plan_create(
            actor=committee_user, name="2026年度工程系列高级评审方案", year=2026
        )
        apps = qualified(n)
        plan_services.plan_participants_add(
            actor=committee_user, plan=plan, application_ids=[a.pk for a in apps]
        )
        plan_services.expert_requirement_add(
            actor=committee_user, plan=plan, specialty=specialty("080201"),
            level="senior_full", count=3,
        )  # fmt: skip
        items = [
            plan_services.scoring_item_add(
                actor=committee_user, plan=plan, name="业绩成果", max_score=60
            ),
            plan_services.scoring_item_add(
                actor=committee_user, plan=plan, name="答辩", max_score=40
            ),
        ]
        plan_services.plan_submit(actor=committee_user, plan=plan)
        plan_services.plan_review(actor=reviewer, plan=plan, approved=True)
        fill_pool(6)
        draw = expert_services.panel_draw(actor=committee_user, plan=plan, seed=20261205)
        seats = list(draw.members.select_related("expert__account", "expert__person"))
        seats.sort(key=lambda m: m.order)
        members = [m.expert for m in seats if m.role == PanelRole.MEMBER]
        alternates = [m.expert for m in seats if m.role == PanelRole.ALTERNATE]
        User.objects.filter(pk__in=[e.account_id for e in members + alternates]).update(
            must_change_password=False
        )
        if open:
            services.meeting_open(actor=committee_user, plan=plan)
            if seated:
                services.attendance_record(
                    actor=committee_user, plan=plan, present=[e.pk for e in members]
                )
        plan.refresh_from_db()
        participants = list(plan.participants.order_by("pk"))
        return MeetingWorld(plan, participants, members, alternates, items, world.committee)

    return make

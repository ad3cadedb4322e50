"""The plans tests' world plus an approved plan of three participants whose meeting has closed
(recorded through ``meetings.testing``), and helpers to publish and file it."""
# ruff: noqa: F811 — the fixtures imported from the plans tests are requested by name.

import datetime as dt

import pytest

from zhicheng.applications.tests.conftest import specialty
from zhicheng.common import workdays
from zhicheng.filings import services
from zhicheng.meetings.testing import meeting_record_closed
from zhicheng.plans import services as plan_services
from zhicheng.plans.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    committee_user,
    draft,
    make_applicant,
    plan,
    private_media,
    qualified,
    reviewer,
    submitted,
    world,
)

# A Monday of 2026 with five ordinary working days after it (no holiday, no 调休).
ORDINARY_MONDAY = dt.date(2026, 11, 9)


@pytest.fixture
def approved_plan(plan, committee_user, reviewer, qualified):
    """The world committee's plan with three participants (张伟 of unit_a first), submitted and
    approved by the province's plan reviewer."""
    apps = qualified(3)
    plan_services.plan_participants_add(
        actor=committee_user, plan=plan, application_ids=[a.pk for a in apps]
    )
    plan_services.expert_requirement_add(
        actor=committee_user, plan=plan, specialty=specialty("080201"), level="senior_full", count=7
    )
    plan_services.scoring_item_add(actor=committee_user, plan=plan, name="业绩成果", max_score=60)
    plan_services.scoring_item_add(actor=committee_user, plan=plan, name="答辩", max_score=40)
    plan_services.plan_submit(actor=committee_user, plan=plan)
    plan_services.plan_review(actor=reviewer, plan=plan, approved=True)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def participants(approved_plan):
    """The plan's participants in order (张伟 first)."""
    return list(approved_plan.participants.order_by("pk"))


@pytest.fixture
def closed_plan(approved_plan, participants, committee_user):
    """The approved plan after a meeting that passed the first two participants (the third
    failed); closed on 2026-11-01 so that a publicity may start from then on."""
    meeting_record_closed(
        actor=committee_user,
        plan=approved_plan,
        results={participants[2].pk: False},
        closed_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC),
    )
    return approved_plan


@pytest.fixture
def today(monkeypatch):
    """today(date): move the bureau's today."""

    def move(day: dt.date) -> None:
        monkeypatch.setattr(workdays, "today", lambda: day)

    move(dt.date(2026, 11, 10))
    return move


@pytest.fixture
def published(closed_plan, committee_user, today):
    return services.publicity_publish(
        actor=committee_user, plan=closed_plan, starts_on=ORDINARY_MONDAY
    )


@pytest.fixture
def sent(published, closed_plan, committee_user, today):
    today(dt.date(2026, 11, 16))
    return services.filing_send(actor=committee_user, plan=closed_plan)

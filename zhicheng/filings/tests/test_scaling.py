"""Filing scales: the queries of 1.15 审核通过 do not grow with the participants (the titles
held are read as bare values and written in bulk), nor do those of 发布公示 and 报送备案."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.applications.tests.conftest import specialty
from zhicheng.filings import services
from zhicheng.filings.models import ResultFiling
from zhicheng.filings.tests.conftest import ORDINARY_MONDAY
from zhicheng.meetings.testing import meeting_record_closed
from zhicheng.plans import services as plan_services
from zhicheng.titles.models import TitleHolding

pytestmark = pytest.mark.django_db


def _approved(name, apps, committee_user, reviewer):
    plan = plan_services.plan_create(actor=committee_user, name=name, year=2026)
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
    meeting_record_closed(
        actor=committee_user, plan=plan, closed_at=dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
    )
    return plan


def _queries(call) -> int:
    ContentType.objects.clear_cache()  # both plans start as cold (the log's content types)
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_filing_queries_do_not_grow_with_the_participants(
    qualified, committee_user, reviewer, hr_province, today
):
    apps = qualified(5)
    plans = {
        1: _approved("2026年度小方案", apps[:1], committee_user, reviewer),
        4: _approved("2026年度大方案", apps[1:], committee_user, reviewer),
    }
    counts = {}
    for size, plan in plans.items():
        today(dt.date(2026, 11, 10))
        publish = _queries(
            lambda plan=plan: services.publicity_publish(
                actor=committee_user, plan=plan, starts_on=ORDINARY_MONDAY
            )
        )
        today(dt.date(2026, 11, 16))
        send = _queries(lambda plan=plan: services.filing_send(actor=committee_user, plan=plan))
        filing = ResultFiling.objects.get(plan=plan)
        review = _queries(
            lambda filing=filing: services.filing_review(
                actor=hr_province,
                filing=filing,
                approved=True,
                filing_number=f"苏职备〔2026〕{filing.pk}号",
                filed_on=dt.date(2026, 11, 16),
            )
        )
        counts[size] = (publish, send, review)
        held = TitleHolding.objects.filter(application__plan_participations__plan=plan).count()
        assert held == size
    assert counts[1] == counts[4], counts

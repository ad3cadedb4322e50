"""Two first draws of one plan at the same moment: the plan's row lock lets exactly one be the
first; the other then finds a panel and, without a reason, is refused as a redraw."""

import pytest
from django.db import connection

from zhicheng.common.tests.concurrency import run_together
from zhicheng.experts import services

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_first_draws_at_once_exactly_one_takes_effect(
    reseeded, approved_plan, committee_user, fill_pool
):
    fill_pool(16)
    results = run_together(
        lambda: services.panel_draw(actor=committee_user, plan=approved_plan.pk),
        lambda: services.panel_draw(actor=committee_user, plan=approved_plan.pk),
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "重新抽取须填写原因" in next(r for r in results if r != "ok")
    assert approved_plan.panel_draws.count() == 1
    assert approved_plan.panel_draws.get().members.count() == 14

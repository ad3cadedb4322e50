"""Concurrency on PostgreSQL: two officers acting on the same application at the same moment —
exactly one takes effect, the other gets "该申报已被处理" and nothing changes; a double click
submits once."""

import pytest
from django.db import connection

from zhicheng.accounts.roles import Role
from zhicheng.applications import services
from zhicheng.applications.models import Application, ReviewAction
from zhicheng.common.tests.concurrency import run_together

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseeded"),
]


def test_two_officers_approving_at_once_exactly_one_succeeds(world, submitted, make_user):
    app = submitted("evaluation")
    colleague = make_user(world.orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a2")
    version = app.version
    results = run_together(
        *(
            lambda user=user: services.application_approve(
                actor=user, application=app, expected_version=version
            )
            for user in (world.officers["unit_a"], colleague)
        )
    )
    assert sorted(r == "ok" for r in results) == [False, True], results
    refusal = next(r for r in results if r != "ok")
    assert refusal.startswith("该申报已被处理")
    app.refresh_from_db()
    assert app.current_organization_id == world.orgs["dept_jn_it"].pk
    assert app.version == version + 1
    assert app.review_records.filter(action=ReviewAction.APPROVE).count() == 1


def test_approve_and_return_at_once_one_wins_without_a_version(world, submitted, make_user):
    app = submitted("evaluation")
    colleague = make_user(world.orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a3")
    results = run_together(
        lambda: services.application_approve(actor=world.officers["unit_a"], application=app),
        lambda: services.application_return(actor=colleague, application=app, opinion="退回"),
    )
    assert results.count("ok") == 1
    app.refresh_from_db()
    assert app.review_records.exclude(action=ReviewAction.SUBMIT).count() == 1


def test_a_double_click_on_submit_submits_once(world, draft):
    app = draft("evaluation")
    version = app.version
    results = run_together(
        *(
            lambda: services.application_submit(
                actor=world.applicant, application=app, expected_version=version
            )
            for _ in range(2)
        )
    )
    assert results == ["ok", "ok"]
    assert Application.objects.get(pk=app.pk).review_records.count() == 1


def test_batch_and_single_approval_at_once_never_double_advance(world, submitted):
    apps = [submitted("evaluation")]
    officer = world.officers["unit_a"]
    results = run_together(
        lambda: services.application_batch_approve(
            actor=officer, items=[(a.pk, a.version) for a in apps]
        ),
        lambda: services.application_approve(
            actor=officer, application=apps[0], expected_version=apps[0].version
        ),
    )
    app = Application.objects.get(pk=apps[0].pk)
    assert app.route_position == 1
    assert app.review_records.filter(action=ReviewAction.APPROVE).count() == 1
    assert "ok" in results

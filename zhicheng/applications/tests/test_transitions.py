"""The workflow table, walked: every (status, action) pair through the real services — the
allowed moves land in an allowed status, every other move is refused with nothing changed."""

import datetime as dt
import itertools

import pytest
from django.db import transaction

from zhicheng.applications import services
from zhicheng.applications.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    ReviewAction,
)
from zhicheng.common.errors import ApplicationError

S, A = ApplicationStatus, ReviewAction


def test_the_table_covers_every_status():
    assert set(TRANSITIONS) == set(S.values)
    assert all(set(moves) <= set(A.values) for moves in TRANSITIONS.values())
    assert TRANSITIONS[S.APPROVED] == {} and TRANSITIONS[S.WITHDRAWN] == {}
    assert TRANSITIONS[S.ABANDONED] == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "action", "to"),
    list(itertools.product(S.values, A.values, S.values)),
)
def test_transition_allows_exactly_the_table(status, action, to):
    app = Application(status=status, version=3)
    allowed = to in TRANSITIONS[status].get(action, frozenset())
    with transaction.atomic():
        if allowed:
            services._transition(app, action=action, to=to)
            assert (app.status, app.version) == (to, 4)
        else:
            with pytest.raises(ApplicationError):
                services._transition(app, action=action, to=to)
            assert (app.status, app.version) == (status, 3)


@pytest.fixture
def in_status(world, draft, submitted, climb):
    """An application in ``status``; for under review, at unit_a with a return from above
    waiting there when ``flagged`` (so 退回补充材料 is possible)."""

    def make(status: str, *, flagged: bool = False):
        if status == S.DRAFT:
            return draft("evaluation")
        if status == S.UNDER_REVIEW:
            app = submitted("evaluation")
            if flagged:
                app = climb(app, "unit_a")
                services.application_return(
                    actor=world.officers["dept_jn_it"], application=app, opinion="补充"
                )
            return app
        if status == S.RETURNED:
            return services.application_return(
                actor=world.officers["unit_a"], application=submitted("evaluation"), opinion="补"
            )
        if status == S.ABANDONED:
            app = services.application_return(
                actor=world.officers["unit_a"], application=submitted("evaluation"), opinion="补"
            )
            return services.application_expire(
                application=app, today=app.correction_deadline + dt.timedelta(days=1)
            )
        if status == S.APPROVED:
            return climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
        return services.application_withdraw(
            actor=world.applicant, application=submitted("evaluation")
        )

    return make


def _perform(world, app: Application, action: str):
    officer = world.officers["unit_a"]
    applicant = world.applicant
    calls = {
        A.SUBMIT: lambda: services.application_submit(actor=applicant, application=app),
        A.RESUBMIT: lambda: services.application_resubmit(actor=applicant, application=app),
        A.WITHDRAW: lambda: services.application_withdraw(actor=applicant, application=app),
        A.APPROVE: lambda: services.application_approve(actor=officer, application=app),
        A.RETURN: lambda: services.application_return(
            actor=officer, application=app, opinion="意见"
        ),
        A.RETURN_FOR_SUPPLEMENT: lambda: services.application_return_for_supplement(
            actor=officer, application=app, opinion="意见"
        ),
        # The scheduled 视为放弃, on the day after the deadline.
        A.EXPIRE: lambda: services.application_expire(
            application=app,
            today=(app.correction_deadline or dt.date(2026, 1, 5)) + dt.timedelta(days=1),
        ),
    }
    return calls[action]()


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, A.values)))
def test_every_move_through_the_services(world, in_status, status, action):
    app = in_status(status, flagged=action == A.RETURN_FOR_SUPPLEMENT)
    before = (app.status, app.version, app.review_records.count())
    allowed = TRANSITIONS[status].get(action, frozenset())
    if allowed:
        _perform(world, app, action)
        app.refresh_from_db()
        assert app.status in allowed
        assert app.review_records.count() == before[2] + 1
        assert app.review_records.order_by("-pk").first().action == action
    else:
        with pytest.raises(ApplicationError):
            _perform(world, app, action)
        app.refresh_from_db()
        assert (app.status, app.version, app.review_records.count()) == before

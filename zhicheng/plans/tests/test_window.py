"""A plan takes the participants of one 申报批次: with a window set, only applications submitted in
it may be added (and only they are offered); the window must be of the committee's series, levels
and the plan's year."""

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.common.errors import ApplicationError
from zhicheng.plans import selectors, services
from zhicheng.windows import services as window_services

from .conftest import LEVELS


def minute(delta=dt.timedelta()) -> dt.datetime:
    return (timezone.now() + delta).replace(second=0, microsecond=0)


@pytest.fixture
def window(hr_province):
    return window_services.application_window_create(
        actor=hr_province,
        name="本年度工程系列副高级申报",
        year=timezone.localdate().year,
        series=TitleSeries.objects.get(code="engineering"),
        level=TitleLevel.SENIOR_DEPUTY,
        opens_at=minute(-dt.timedelta(days=1)),
        closes_at=minute(dt.timedelta(days=1)),
    )


def test_a_plan_with_a_window_takes_only_that_windows_participants(
    world, submitted, climb, make_applicant, committee_user, hr_province
):
    before = climb(submitted("evaluation"), *LEVELS)  # submitted before any window existed
    assert before.window_id is None
    window = window_services.application_window_create(
        actor=hr_province,
        name="本年度工程系列副高级申报",
        year=timezone.localdate().year,
        series=TitleSeries.objects.get(code="engineering"),
        level=TitleLevel.SENIOR_DEPUTY,
        opens_at=minute(-dt.timedelta(days=1)),
        closes_at=minute(dt.timedelta(days=1)),
    )
    inside = climb(submitted("evaluation", user=make_applicant("李娜").user), *LEVELS)
    assert inside.window_id == window.pk
    plan = services.plan_create(
        actor=committee_user, name="批次方案", year=window.year, window=window
    )
    assert list(selectors.candidates(plan=plan)) == [inside]
    with pytest.raises(ApplicationError, match="不属于本方案的申报批次"):
        services.plan_participants_add(actor=committee_user, plan=plan, application_ids=[before.pk])
    assert (
        services.plan_participants_add(actor=committee_user, plan=plan, application_ids=[inside.pk])
        == 1
    )
    # Without a window the plan takes any qualified application.
    open_plan = services.plan_create(actor=committee_user, name="不限方案", year=window.year)
    assert list(selectors.candidates(plan=open_plan)) == [before]


def test_a_window_must_fit_the_committee_and_the_year(committee_user, window, hr_province):
    with pytest.raises(ApplicationError, match="评审年度"):
        services.plan_create(
            actor=committee_user, name="错年度", year=window.year - 1, window=window
        )
    intermediate = window_services.application_window_create(
        actor=hr_province,
        name="中级申报",
        year=window.year,
        series=window.series,
        level=TitleLevel.INTERMEDIATE,
        opens_at=window.opens_at,
        closes_at=window.closes_at,
    )
    with pytest.raises(ApplicationError, match="不属于本评委会评审的职称系列和级别"):
        services.plan_create(
            actor=committee_user, name="中级", year=window.year, window=intermediate
        )


def test_choosing_a_window_refuses_participants_outside_it(
    world, qualified, committee_user, window
):
    (app,) = qualified(1)  # submitted inside the window
    plan = services.plan_create(actor=committee_user, name="方案", year=window.year)
    services.plan_participants_add(actor=committee_user, plan=plan, application_ids=[app.pk])
    updated = services.plan_update(actor=committee_user, plan=plan, window=window)
    assert updated.window == window
    app.window = None
    app.save(update_fields=["window"])
    with pytest.raises(ApplicationError, match="不属于申报批次"):
        services.plan_update(actor=committee_user, plan=plan, name="再改")

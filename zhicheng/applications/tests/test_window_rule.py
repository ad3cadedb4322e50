"""申报批次 (rules.check_window): a 评审 submitted outside an open window of its year, series and
level is refused with the window's dates; the window it was submitted in is recorded. Open means
opens_at <= now < closes_at, to the minute. Where no bureau above the employer configured any
window for that series and year, submission stays allowed (the transition rule); 初定/认定 are
not windowed."""

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.applications import rules, services
from zhicheng.applications.models import ApplicationStatus
from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.common.errors import ApplicationError
from zhicheng.windows import services as window_services

DAY = dt.timedelta(days=1)


def minute(delta=dt.timedelta()) -> dt.datetime:
    return (timezone.now() + delta).replace(second=0, microsecond=0)


@pytest.fixture
def open_window(hr_province):
    def make(actor=None, **fields):
        values = {
            "name": "2026年度工程系列副高级申报",
            "year": timezone.localdate().year,
            "series": TitleSeries.objects.get(code="engineering"),
            "level": TitleLevel.SENIOR_DEPUTY,
            "opens_at": minute(-DAY),
            "closes_at": minute(DAY),
            **fields,
        }
        return window_services.application_window_create(actor=actor or hr_province, **values)

    return make


def refused(app, actor, match):
    app.refresh_from_db()
    with pytest.raises(ApplicationError, match=match) as info:
        services.application_submit(actor=actor, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT
    assert app.window_id is None
    return info.value.message


def test_without_any_window_configured_submission_stays_allowed(world, draft):
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.window is None


def test_a_submission_inside_an_open_window_records_it(world, draft, open_window):
    window = open_window()
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    app.refresh_from_db()
    assert app.window == window


def test_the_window_is_open_from_its_first_minute_until_before_its_last(world, draft, open_window):
    tomorrow = timezone.localdate() + DAY
    opens = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    closes = timezone.make_aware(dt.datetime.combine(tomorrow + DAY, dt.time(17, 0)))
    window = open_window(opens_at=opens, closes_at=closes)
    app = draft("evaluation")
    period = f"{opens:%Y-%m-%d} 09:00 至 {closes:%Y-%m-%d} 17:00"
    second = dt.timedelta(seconds=1)
    with pytest.raises(ApplicationError, match="尚未开始") as info:
        rules.check_window(app, opens - second)
    assert f"申报时间为 {period}" in info.value.message
    assert rules.check_window(app, opens) == window
    assert rules.check_window(app, closes - second) == window
    with pytest.raises(ApplicationError, match="已结束") as info:
        rules.check_window(app, closes)
    assert f"申报时间为 {period}" in info.value.message
    assert "当前没有开放的申报批次" in info.value.message


def test_a_submission_before_the_window_opens_is_refused_with_its_dates(world, draft, open_window):
    window = open_window(opens_at=minute(DAY), closes_at=minute(2 * DAY))
    message = refused(draft("evaluation"), world.applicant, "尚未开始")
    assert f"申报时间为 {window.period_display}" in message


def test_a_window_closed_early_refuses_the_next_submission(world, draft, open_window, hr_province):
    window = open_window()
    window_services.application_window_close(actor=hr_province, window=window)
    window.refresh_from_db()
    message = refused(draft("evaluation"), world.applicant, "已结束")
    assert window.period_display in message


def test_a_level_without_a_window_is_refused_when_its_series_has_windows(world, draft, open_window):
    open_window(level=TitleLevel.SENIOR_FULL)
    refused(draft("evaluation"), world.applicant, "当前没有开放的申报批次")


def test_initial_and_recognition_are_not_windowed(world, draft, open_window):
    later = {"opens_at": minute(DAY), "closes_at": minute(2 * DAY)}
    for level in (TitleLevel.ASSISTANT, TitleLevel.INTERMEDIATE):
        open_window(name=f"{level}申报", level=level, **later)
    for kind in ("initial", "recognition"):
        app = services.application_submit(actor=world.applicant, application=draft(kind))
        assert app.status == ApplicationStatus.UNDER_REVIEW and app.window is None
        services.application_withdraw(actor=world.applicant, application=app)


def test_a_window_of_another_city_does_not_apply(world, draft, open_window, orgs, make_user):
    suzhou = make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz")
    open_window(actor=suzhou, opens_at=minute(DAY), closes_at=minute(2 * DAY))
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    assert app.window is None


def test_a_returned_application_resubmitted_after_its_window_closed_keeps_it(
    world, draft, open_window, hr_province
):
    window = open_window()
    app = services.application_submit(actor=world.applicant, application=draft("evaluation"))
    app = services.application_return(
        actor=world.officers["unit_a"], application=app, opinion="请补充业绩材料"
    )
    window_services.application_window_close(actor=hr_province, window=window)
    app = services.application_resubmit(actor=world.applicant, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.window == window

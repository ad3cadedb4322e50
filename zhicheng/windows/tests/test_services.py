"""申报批次 services: opened by an HR officer for their organization, to the minute; overlapping
windows of one year, series and level on one line of the tree refused; an open window keeps its
start; 提前结束; the operation log."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from zhicheng.accounts.roles import Role
from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.common.errors import ApplicationError
from zhicheng.windows import selectors, services
from zhicheng.windows.models import ApplicationWindow, WindowState

from .conftest import minute

DAY = dt.timedelta(days=1)


def test_an_officer_opens_a_window_for_their_organization_to_the_minute(
    hr_province, open_window, orgs
):
    opens = minute(-DAY).replace(second=37)
    window = open_window(opens_at=opens)
    window.refresh_from_db()
    assert window.organization == orgs["province"]
    assert window.created_by == hr_province
    assert window.opens_at == opens.replace(second=0)
    assert window.state == WindowState.OPEN
    assert "申报时间为" not in window.period_display and " 至 " in window.period_display
    entry = LogEntry.objects.filter(additional_data__operation="create").latest("pk")
    assert "开设申报批次" in entry.additional_data["summary"]


def test_an_employer_officer_cannot_open_a_window(orgs, make_user, open_window):
    officer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit")
    with pytest.raises(ApplicationError):
        open_window(actor=officer)
    assert not ApplicationWindow.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "请填写批次名称"),
        ({"year": 1999}, "申报年度应在"),
        ({"opens_at": minute(DAY), "closes_at": minute(DAY)}, "结束时间（.*）应晚于开始时间"),
        ({"opens_at": minute(-2 * DAY), "closes_at": minute(-DAY)}, "结束时间已过"),
        ({"level": "chief"}, "请选择职称级别"),
    ],
)
def test_bad_windows_are_refused(open_window, fields, message):
    with pytest.raises(ApplicationError, match=message):
        open_window(**fields)
    assert not ApplicationWindow.objects.exists()


def test_overlapping_windows_of_one_series_and_level_are_refused_with_the_other_dates(
    open_window, hr_city
):
    first = open_window(name="第一批")
    with pytest.raises(ApplicationError, match="与申报批次“第一批”（申报时间为 .* 至 .*）时间重叠"):
        open_window(name="第二批", opens_at=minute(DAY / 2), closes_at=minute(3 * DAY))
    # a city below the province on the same line is refused too
    with pytest.raises(ApplicationError, match="时间重叠"):
        open_window(actor=hr_city, name="市批次")
    # a sub-series counts as its series
    child = TitleSeries.objects.filter(parent__code="health").first()
    if child is not None:
        open_window(name="卫生", series=child.parent)
        with pytest.raises(ApplicationError, match="时间重叠"):
            open_window(name="卫生医", series=child)
    assert ApplicationWindow.objects.filter(name__in=["第二批", "市批次"]).count() == 0
    assert first.pk


def test_adjacent_windows_and_other_levels_years_and_branches_do_not_overlap(
    open_window, orgs, make_user
):
    open_window(name="第一批")
    open_window(name="第二批", opens_at=minute(DAY), closes_at=minute(3 * DAY))  # adjacent
    open_window(name="正高", level=TitleLevel.SENIOR_FULL)
    open_window(name="上年度", year=minute().year - 1)
    suzhou = make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz")
    city_nj = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_nj")
    open_window(actor=suzhou, name="苏州", level=TitleLevel.INTERMEDIATE)
    open_window(actor=city_nj, name="南京", level=TitleLevel.INTERMEDIATE)
    assert ApplicationWindow.objects.count() == 6


def test_an_open_window_keeps_its_start_but_may_move_its_end(hr_province, open_window):
    window = open_window()
    with pytest.raises(ApplicationError, match="申报批次已开始，不能修改开始时间"):
        services.application_window_update(
            actor=hr_province, window=window, opens_at=minute(-2 * DAY)
        )
    with pytest.raises(ApplicationError, match="不能早于当前时间"):
        services.application_window_update(
            actor=hr_province, window=window, closes_at=minute(-dt.timedelta(minutes=1))
        )
    updated = services.application_window_update(
        actor=hr_province, window=window, closes_at=minute(5 * DAY), name="延期"
    )
    assert updated.closes_at == minute(5 * DAY)
    assert updated.name == "延期"


def test_a_pending_window_may_change_everything(hr_province, open_window):
    window = open_window(opens_at=minute(DAY), closes_at=minute(2 * DAY))
    updated = services.application_window_update(
        actor=hr_province, window=window, level=TitleLevel.SENIOR_FULL, opens_at=minute(DAY / 2)
    )
    assert (updated.level, updated.opens_at) == (TitleLevel.SENIOR_FULL, minute(DAY / 2))


def test_closing_early_ends_the_window_now_and_it_cannot_change_after(hr_province, open_window):
    window = open_window()
    closed = services.application_window_close(actor=hr_province, window=window)
    assert closed.state == WindowState.CLOSED
    assert closed.closed_early_by == hr_province
    assert closed.state_display == "已提前结束"
    with pytest.raises(ApplicationError, match="已结束"):
        services.application_window_close(actor=hr_province, window=window)
    with pytest.raises(ApplicationError, match="已结束，不能修改"):
        services.application_window_update(actor=hr_province, window=window, name="再开")
    entry = LogEntry.objects.filter(additional_data__operation="close").latest("pk")
    assert "提前结束申报批次" in entry.additional_data["summary"]


def test_a_pending_window_is_not_closed_early(hr_province, open_window):
    window = open_window(opens_at=minute(DAY), closes_at=minute(2 * DAY))
    with pytest.raises(ApplicationError, match="尚未开始"):
        services.application_window_close(actor=hr_province, window=window)


def test_a_city_sees_the_provinces_windows_but_changes_only_its_own(
    hr_province, hr_city, open_window
):
    province_window = open_window()
    city_window = open_window(actor=hr_city, name="南京中级", level=TitleLevel.INTERMEDIATE)
    seen = set(selectors.application_window_list(user=hr_city))
    assert seen == {province_window, city_window}
    assert set(selectors.application_window_list(user=hr_province)) == seen
    with pytest.raises(ApplicationError, match="不是本单位及下级单位开设的批次"):
        services.application_window_close(actor=hr_city, window=province_window)
    services.application_window_close(actor=hr_province, window=city_window)


def test_nobody_else_sees_windows(open_window, applicant):
    open_window()
    assert not selectors.application_window_list(user=applicant).exists()

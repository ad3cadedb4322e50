"""评后公示 lasts ≥ 5 working days on the Chinese calendar."""

import datetime as dt

import pytest

from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.filings.services import publicity_end


def test_an_ordinary_week_ends_on_friday():
    assert publicity_end(dt.date(2026, 11, 9)) == dt.date(2026, 11, 13)


def test_a_start_on_a_weekend_counts_from_monday():
    assert publicity_end(dt.date(2026, 11, 7)) == dt.date(2026, 11, 13)


def test_the_national_day_holiday_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 10-01…10-07 are holidays; Saturday 10-10 is a 调休 working day.
    assert not workdays.is_workday(dt.date(2026, 10, 5))
    assert workdays.is_workday(dt.date(2026, 10, 10))
    # 9-30, 10-08, 10-09, 10-10 (Saturday, worked), 10-12.
    assert publicity_end(dt.date(2026, 9, 30)) == dt.date(2026, 10, 12)
    assert workdays.workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 5


def test_the_make_up_sunday_before_the_holiday_counts():
    # Sunday 2026-09-20 is worked in exchange for the National Day holiday.
    assert publicity_end(dt.date(2026, 9, 19)) == dt.date(2026, 9, 24)


def test_a_date_beyond_the_known_years_is_refused_clearly():
    with pytest.raises(ApplicationError, match="节假日安排只登记到 2026 年"):
        publicity_end(dt.date(2027, 1, 4))
    # A period that would run into the unknown year is refused too.
    with pytest.raises(ApplicationError, match="2027"):
        publicity_end(dt.date(2026, 12, 29))

"""Working days on the Chinese calendar (``chinesecalendar``): statutory holidays are skipped and
调休 make-up workdays (a Saturday or Sunday worked in exchange) count. The library knows the
State Council's schedule only up to the year it was released for; a date beyond is refused with
a clear message rather than guessed."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.utils import timezone

from zhicheng.common.errors import ApplicationError


def today() -> dt.date:
    """The bureau's today: what publicity periods are measured against (tests move it)."""
    return timezone.localdate()


def _known(day: dt.date) -> None:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        last = max(chinese_calendar.holidays).year
        raise ApplicationError(
            f"节假日安排只登记到 {last} 年，无法计算 {day.year} 年的工作日"
            f"（{day:%Y-%m-%d}），请选择 {last} 年内的日期或更新节假日数据"
        ) from None


def is_workday(day: dt.date) -> bool:
    _known(day)
    return chinese_calendar.is_workday(day)


def add_workdays(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day counting from ``start`` (``start`` itself counts when it is
    a working day): the last day of a period of ``count`` working days."""
    if count < 1:
        raise ValueError("count must be ≥ 1")
    day, seen = start, 0
    while True:
        if is_workday(day):
            seen += 1
            if seen == count:
                return day
        day += dt.timedelta(days=1)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end`` inclusive."""
    days = 0
    day = start
    while day <= end:
        days += is_workday(day)
        day += dt.timedelta(days=1)
    return days

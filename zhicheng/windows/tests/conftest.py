"""The applications tests' world (route, committee, applicant) and helpers to open windows."""
# ruff: noqa: F811 — the fixtures imported from the applications tests are requested by name.

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.applications.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    draft,
    make_applicant,
    private_media,
    submitted,
    world,
)
from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.windows import services


def minute(delta: dt.timedelta = dt.timedelta()) -> dt.datetime:
    """Now plus ``delta``, to the minute."""
    return (timezone.now() + delta).replace(second=0, microsecond=0)


def at(day: dt.date, hour: int, minute_: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute_, second)))


@pytest.fixture
def engineering(db):
    return TitleSeries.objects.get(code="engineering")


@pytest.fixture
def open_window(hr_province, engineering):
    """open_window(actor=hr_province, level=副高级, opens_at=-1 day, closes_at=+1 day, …)."""

    def make(actor=None, **fields):
        values = {
            "name": "测试申报批次",
            "year": timezone.localdate().year,
            "series": engineering,
            "level": TitleLevel.SENIOR_DEPUTY,
            "opens_at": minute(-dt.timedelta(days=1)),
            "closes_at": minute(dt.timedelta(days=1)),
            **fields,
        }
        return services.application_window_create(actor=actor or hr_province, **values)

    return make

"""Demo 申报批次: hr_province opens the 工程系列 正高级 and 副高级 windows of last year and this
year, open from 30 days ago until 60 days from now (17:00), so the demo applications (submitted
when the demo loads, ``applications.demo`` runs after this module) fall inside them and the list
has open windows to show. Idempotent: a window already there (by name) is left as it is."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel, TitleSeries

from . import services
from .models import ApplicationWindow

LEVELS = (TitleLevel.SENIOR_FULL, TitleLevel.SENIOR_DEPUTY)


def load(orgs) -> None:
    actor = User.objects.get(username="hr_province")
    series = TitleSeries.objects.get(code="engineering")
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=30), dt.time(9)))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=60), dt.time(17)))
    for year in (today.year - 1, today.year):
        for level in LEVELS:
            name = f"{year}年度工程系列{TitleLevel(level).label}职称评审申报"
            if ApplicationWindow.objects.filter(organization=orgs["province"], name=name).exists():
                continue
            services.application_window_create(
                actor=actor,
                name=name,
                year=year,
                series=series,
                level=level,
                opens_at=start,
                closes_at=end,
                note="演示数据：全省统一申报批次",
            )

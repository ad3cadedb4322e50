"""Demo 用人单位 data (issue 14), made through the real services. Idempotent.

- a unit awaiting approval: 南京江宁数智科技有限公司 registered under 江宁区工信局 (``dept_jn_it``
  and the bureaus above see it in 单位注册审核; it logs in with its 统一社会信用代码 and
  ``Demo@2026`` and is told it waits);
- a unit with a publicity done: ``unit_a``'s 单位内部公示 of the applications waiting there,
  held over five past working days, its sealed result uploaded with the 推荐意见 — so
  ``unit_a`` can recommend (approve) them at once.

``historic_approvals()``: the other demo modules replay years of work, approvals at units
included, from before the 内部公示 rule; the demo loader runs them inside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.common import workdays
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes
from zhicheng.common.validators import uscc_check_char
from zhicheng.orgs.models import Organization
from zhicheng.units import selectors, services
from zhicheng.units.models import STANDARD_RECOMMENDATIONS, UnitPublicity, UnitRegistration


def pending_uscc() -> str:
    first17 = "91320115MA27XK3P0"
    return first17 + uscc_check_char(first17)


@contextlib.contextmanager
def historic_approvals() -> Iterator[None]:
    before = settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED
    settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED = False
    try:
        yield
    finally:
        settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED = before


def _load_pending_registration(orgs: dict[str, Organization]) -> None:
    uscc = pending_uscc()
    if UnitRegistration.objects.filter(uscc=uscc).exists():
        return
    services.unit_register(
        uscc=uscc,
        name="南京江宁数智科技有限公司",
        contact_name="周敏",
        contact_phone="025-52109876",
        competent=orgs["dept_jn_it"],
        password=DEMO_PASSWORD,
    )


def _past_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Five working days that ended before today."""
    start = today - dt.timedelta(days=21)
    end = workdays.add_workdays(start, services.PUBLICITY_MIN_WORKDAYS)
    return start, end


def _load_done_publicity(orgs: dict[str, Organization]) -> None:
    officer = User.objects.filter(username="unit_a").first()
    if officer is None or UnitPublicity.objects.filter(organization=orgs["unit_a"]).exists():
        return
    waiting = [app.pk for app in selectors.publicity_candidates(user=officer)]
    if not waiting:
        return
    try:
        starts_on, ends_on = _past_period(workdays.today())
        publicity = services.unit_publicity_create(
            actor=officer, applications=waiting, starts_on=starts_on, ends_on=ends_on
        )
    except ApplicationError:
        return  # a year the holiday calendar does not know yet: no demo publicity
    services.unit_publicity_result_upload(
        actor=officer,
        publicity=publicity,
        upload=SimpleUploadedFile("单位内部公示结果（盖章）.pdf", pdf_bytes(), "application/pdf"),
        recommendation=STANDARD_RECOMMENDATIONS[1],
    )


def load(orgs: dict[str, Organization]) -> None:
    _load_pending_registration(orgs)
    _load_done_publicity(orgs)

"""Two filings of one plan at the same moment (PostgreSQL row locks): exactly one takes effect —
the titles are granted once; the other is refused as already handled."""

import datetime as dt

import pytest
from django.db import connection

from zhicheng.common.tests.concurrency import run_together
from zhicheng.filings import services
from zhicheng.filings.models import FilingStatus
from zhicheng.titles.models import TitleHolding

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_filings_at_once_exactly_one_takes_effect(reseeded, sent, hr_province, make_user):
    other = make_user(hr_province.organization, "hr_officer", username="t_hr_province_2")

    def file(actor, number):
        return lambda: services.filing_review(
            actor=actor,
            filing=sent.pk,
            approved=True,
            filing_number=number,
            filed_on=dt.date(2026, 11, 16),
        )

    results = run_together(file(hr_province, "甲"), file(other, "乙"))
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "已处理" in next(r for r in results if r != "ok")
    sent.refresh_from_db()
    assert sent.status == FilingStatus.APPROVED
    assert TitleHolding.objects.count() == 2
    assert len(set(TitleHolding.objects.values_list("document_number", flat=True))) == 1

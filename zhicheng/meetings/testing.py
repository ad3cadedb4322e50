"""The test and demo path to a closed meeting — NOT the committee's way of holding one.

The meeting's own services (voting, tallies, the pass-rate cap, ``meeting_close``) are the only
way a real meeting closes. Tests and demo data of the apps that work from a closed meeting's
results (评后公示 and 1.15 备案, the ``filings`` app) need one without the whole vote: this
module records it directly — the status through the workflow kernel (pending → open → closed),
the ``MeetingResult`` rows written as given. Nothing outside tests and ``demo`` modules calls it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhicheng.common.workflow import transition
from zhicheng.meetings.models import Meeting, MeetingResult


@dataclass(frozen=True)
class GivenResult:
    passed: bool
    score: Decimal | float | None = 85
    present: int = 7
    agree: int | None = None  # default: all present agree when passed, none otherwise
    cut_reason: str = ""


@transaction.atomic
def meeting_record_closed(
    *,
    actor,
    plan,
    results: Mapping[int, bool | GivenResult] | None = None,
    closed_at: datetime | None = None,
) -> Meeting:
    """Record a closed meeting of ``plan`` with the given results, keyed by participant id
    (``True``/``False`` or a ``GivenResult``); participants left out pass. Ranks follow the
    given scores, best first. ``closed_at``: when it closed (default now)."""
    meeting, _ = Meeting.objects.get_or_create(plan=plan)
    now = closed_at or timezone.now()
    if meeting.status == "pending":
        transition(meeting, "open", actor=actor, values={"opened_at": now, "opened_by": actor})
    if meeting.status == "open":
        transition(meeting, "close", actor=actor, values={"closed_at": now, "closed_by": actor})
    given = dict(results or {})
    rows = []
    for participant in plan.participants.order_by("pk"):
        result = given.get(participant.pk, True)
        if isinstance(result, bool):
            result = GivenResult(passed=result, score=85 if result else 60)
        agree = (
            result.agree if result.agree is not None else (result.present if result.passed else 0)
        )
        rows.append(
            MeetingResult(
                meeting=meeting,
                participant=participant,
                score=Decimal(str(result.score)) if result.score is not None else None,
                present=result.present,
                agree=agree,
                disagree=result.present - agree,
                abstain=0,
                passed=result.passed,
                cut_reason=result.cut_reason,
            )
        )
    rows.sort(key=lambda r: (-(r.score or 0), r.participant_id))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    MeetingResult.objects.filter(meeting=meeting).delete()
    MeetingResult.objects.bulk_create(rows, batch_size=500)
    return meeting

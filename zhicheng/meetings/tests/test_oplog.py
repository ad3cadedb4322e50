"""The operation log of a meeting: 开始, 登记到会 and 结束 each write one entry naming the plan
(and the counts); votes are logged as cast, never with their content — no entry of the whole
meeting says who voted what."""

import pytest
from auditlog.models import LogEntry

from zhicheng.meetings import services
from zhicheng.meetings.models import VoteChoice

pytestmark = pytest.mark.django_db

MEETING_OPERATIONS = ("meeting_open", "attendance", "vote", "meeting_close")


def _entries(operation):
    return LogEntry.objects.filter(additional_data__operation=operation).order_by("pk")


def test_open_attendance_and_close_are_logged_and_votes_without_content(
    meeting_world, committee_user
):
    w = meeting_world(2, open=False)
    since = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.meeting_open(actor=committee_user, plan=w.plan)
    (opened,) = _entries("meeting_open")
    assert opened.actor == committee_user and w.plan.name in opened.additional_data["summary"]

    services.attendance_record(actor=committee_user, plan=w.plan, present=[e.pk for e in w.members])
    (attendance,) = _entries("attendance")
    assert attendance.actor == committee_user
    assert "到会 3 名" in attendance.additional_data["summary"]

    choices = [VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN]
    for expert, choice in zip(w.members, choices, strict=True):
        for participant in w.participants:
            services.score_record(
                actor=expert.account,
                participant=participant,
                scores={w.items[0].pk: "41.37", w.items[1].pk: "28.63"},
            )
            services.vote_cast(actor=expert.account, participant=participant, choice=choice)
    assert _entries("vote").count() == 6

    services.meeting_close(actor=committee_user, plan=w.plan)
    (closed,) = _entries("meeting_close")
    assert closed.actor == committee_user
    assert f"参评 {len(w.participants)} 人" in closed.additional_data["summary"]

    # Nothing logged since the meeting opened tells a vote's content or a score.
    for entry in LogEntry.objects.filter(pk__gt=since):
        text = str(entry.additional_data) + str(entry.changes) + str(entry.object_repr)
        for word in ("agree", "disagree", "abstain", "不同意", "弃权", "41.37", "28.63"):
            assert word not in text, (entry.pk, word)
        assert "同意" not in text.replace("不同意", ""), entry.pk
    operations = {
        (e.additional_data or {}).get("operation") for e in LogEntry.objects.filter(pk__gt=since)
    }
    assert set(MEETING_OPERATIONS) <= operations
